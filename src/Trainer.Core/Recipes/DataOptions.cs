namespace Trainer.Recipes;

/// <summary>Recipe section <c>Data</c>: the data set, its splits and input normalisation.</summary>
public sealed class DataOptions
{
    /// <summary>
    /// The data source: <c>digits</c> (embedded UCI handwritten digits), <c>idx</c> (MNIST-style IDX files in
    /// <see cref="Path"/>), <c>csv</c> (a CSV file: numeric with the label in the last column, or a table with a header row and <see cref="Target"/>), or <c>fashion-mnist</c>
    /// (found in <see cref="Path"/>, <c>$TRAINER_DATA</c>, <c>~/.trainer/data/fashion-mnist</c> or
    /// <c>/usr/share/datasets/fashion-mnist</c>, or downloaded with <see cref="Download"/>). Default: "digits".
    /// </summary>
    public string Source { get; set; } = "digits";

    /// <summary>File or folder of the data; relative paths resolve against the recipe's folder. Default: none.</summary>
    public string? Path { get; set; }

    /// <summary>For <c>csv</c>: an optional separate test file. Without it, <see cref="TestFraction"/> of the rows are held out.</summary>
    public string? TestPath { get; set; }

    /// <summary>Fraction of the training data held out for validation, in [0, 0.9]. Default: 0.15.</summary>
    public double ValidationFraction { get; set; } = 0.15;

    /// <summary>Fraction held out for testing when the source has no test split of its own, in (0, 0.9]. Default: 0.2.</summary>
    public double TestFraction { get; set; } = 0.2;

    /// <summary>
    /// Standardise the inputs with the training split's mean and standard deviation: <c>per-channel</c> (one μ and σ per
    /// image channel, as torchvision's <c>Normalize</c>; flips and shifts commute with it), <c>per-feature</c> (one per
    /// input feature, for tables), <c>none</c>, or <c>auto</c>: per channel for images, per feature otherwise. The
    /// statistics are written to the run directory's <c>normalization.json</c>. <c>true</c> and <c>false</c> mean auto and
    /// none. Default: "auto".
    /// </summary>
    public string Normalize { get; set; } = "auto";

    /// <summary>
    /// For <c>fashion-mnist</c>: when the four IDX files are in none of the searched folders, download them from
    /// <see cref="DownloadUrl"/> into <see cref="Path"/> if set, else <c>$TRAINER_DATA/fashion-mnist</c> if that variable is
    /// set, else <c>~/.trainer/data/fashion-mnist</c>. Each file is kept only if its size and SHA-256 match the published
    /// files; files already there are not fetched again. Only <c>fashion-mnist</c> supports it. Default: false.
    /// </summary>
    public bool Download { get; set; }

    /// <summary>
    /// For <see cref="Download"/>: the absolute http or https URL the file names are appended to, e.g. a mirror.
    /// Default: none, meaning the data set's public location
    /// <c>http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/</c>.
    /// </summary>
    public string? DownloadUrl { get; set; }

    /// <summary>
    /// Train on at most this many examples, a seeded random subset of the training split taken after validation (and, when
    /// the source has no test split, test) data is held out, so those splits keep their full size. Normalisation statistics
    /// come from this subset. A limit larger than the training split uses all of it. At least 1. Default: none (all).
    /// </summary>
    public int? TrainLimit { get; set; }

    /// <summary>
    /// For class-labelled sources loaded into memory (not a csv table with <see cref="Target"/>): keep only the examples of
    /// these class indices, relabelled 0..k-1 in the order given, their class names following; e.g. [0, 6] trains a
    /// 2-class model on two of Fashion-MNIST's ten classes. Applied to every split before validation data is held out.
    /// At least two distinct indices. Default: none (every class).
    /// </summary>
    public int[]? Classes { get; set; }

    /// <summary>Data augmentation of training batches (images only). Default: none.</summary>
    public AugmentOptions Augment { get; set; } = new();

    /// <summary>
    /// For <c>image-folder</c>: the side in pixels of the square images every example becomes (see <see cref="Resize"/>), or
    /// none to keep the images' own size, which must then be the same for every image. At least 1. Default: none.
    /// </summary>
    public int? ImageSize { get; set; }

    /// <summary>
    /// For <c>image-folder</c>: 3 (RGB; a grayscale image gets R = G = B) or 1 (grayscale: Y = round(0.299 R + 0.587 G +
    /// 0.114 B), ITU-R BT.601 luma as PIL's <c>convert("L")</c>). Transparency is dropped. Default: 3.
    /// </summary>
    public int Channels { get; set; } = 3;

    /// <summary>
    /// For <c>image-folder</c> with <see cref="ImageSize"/>: <c>stretch</c> (scale each image to ImageSize × ImageSize,
    /// ignoring its aspect ratio) or <c>crop</c> (scale its shorter side to ImageSize, then cut the centre square, as
    /// torchvision's <c>Resize</c> + <c>CenterCrop</c>). Scaling is bilinear. Default: "stretch".
    /// </summary>
    public string Resize { get; set; } = "stretch";

    /// <summary>
    /// For <c>image-folder</c>: what an image file that cannot be decoded does: <c>error</c> (the run fails with one line
    /// naming the file) or <c>skip</c> (it is left out; the run's log says how many were, and which). Default: "error".
    /// </summary>
    public string OnUnreadable { get; set; } = "error";

    /// <summary>
    /// For <c>csv</c>: the target column by its header name. Setting it means the file's first row is a header, and turns on
    /// the table settings below. A target of numbers gives float32 targets; any other target gives classes named by its
    /// values (sorted ordinally; every row of the data files counts). Default: none (a headerless numeric file, label in
    /// the last column).
    /// </summary>
    public string? Target { get; set; }

    /// <summary>For <c>csv</c> with <see cref="Target"/>: the feature columns by header name, in this order. Default: every other column.</summary>
    public string[]? Features { get; set; }

    /// <summary>
    /// For <c>csv</c> with <see cref="Target"/>: the feature columns one-hot encoded, one input per category seen in the
    /// training rows (named <c>column=value</c>). Default: every feature column with a value that is not a number in the
    /// training rows.
    /// </summary>
    public string[]? Categorical { get; set; }

    /// <summary>For <c>csv</c>: the field delimiter, one character such as <c>;</c> or a tab. Default: ",".</summary>
    public string Delimiter { get; set; } = ",";

    /// <summary>
    /// For <c>csv</c> with <see cref="Target"/>: what an empty feature value means. <c>error</c> refuses the file naming its
    /// row and column; <c>mean</c> imputes the training rows' mean of a numeric column, and the training rows' category
    /// frequencies for a categorical one. An empty target is always an error. Default: "error".
    /// </summary>
    public string MissingValues { get; set; } = "error";

    /// <summary>
    /// For <c>csv</c> with <see cref="Target"/>: what a category of a validation or test row that the training rows never
    /// show becomes: <c>error</c> (naming the file, row and column) or <c>zeros</c> (an all-zero one-hot vector). Default: "error".
    /// </summary>
    public string UnseenCategory { get; set; } = "error";

    /// <summary>A copy of these options with <see cref="ValidationFraction"/> replaced (a source with its own validation split).</summary>
    public DataOptions WithValidationFraction(double fraction)
    {
        var copy = (DataOptions)MemberwiseClone();
        copy.ValidationFraction = fraction;
        return copy;
    }

    /// <summary>A copy of these options with <see cref="Path"/> and <see cref="TestPath"/> replaced (resolved to absolute paths).</summary>
    public DataOptions WithPaths(string? path, string? testPath)
    {
        var copy = (DataOptions)MemberwiseClone();
        copy.Path = path;
        copy.TestPath = testPath;
        return copy;
    }

    /// <summary>
    /// How the examples reach the loop: <c>memory</c> loads every split into tensors once and batches by index on the
    /// device; <c>stream</c> reads each batch's examples from storage with background workers (for data larger than
    /// memory; only for sources that can stream, e.g. <c>idx</c> and <c>fashion-mnist</c> with uncompressed files);
    /// <c>auto</c> streams when the source can and the data set as float32 is larger than <see cref="MemoryBudgetMB"/>,
    /// else loads it into memory. Both paths give the same batches for the same seed. Default: "auto".
    /// </summary>
    public string Loading { get; set; } = "auto";

    /// <summary>
    /// For <see cref="Loading"/> <c>auto</c>: the most megabytes the data set (training and test examples as float32) may
    /// take in memory before it is streamed instead. 0 means half of the memory available to the process
    /// (<see cref="GC.GetGCMemoryInfo()"/>'s total available memory, which honours container limits). Default: 0.
    /// </summary>
    public long MemoryBudgetMB { get; set; }

    /// <summary>On the streaming path: background workers that read and assemble batches ahead of the loop, 1 to 64. Default: 2.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>On the streaming path: the most batches read ahead of the loop (the bound on the queue's memory), 1 to 1024. Default: 4.</summary>
    public int Prefetch { get; set; } = 4;

    /// <summary>
    /// On the streaming path: <c>none</c> reads (and decodes) every example from the source each epoch; <c>disk</c> keeps
    /// each example as the source decoded it in a file in <see cref="CacheDirectory"/> the first time it is read, so later
    /// epochs read a fixed-size record instead (for images: no file opened, nothing decoded). The file takes the decoded
    /// size (e.g. 784 bytes per 28×28 grayscale image) and is deleted when the run ends. Same batches either way. Default: none.
    /// </summary>
    public string Cache { get; set; } = "none";

    /// <summary>
    /// Where <see cref="Cache"/> <c>disk</c> writes its file (a relative path is the recipe's folder's, as for
    /// <see cref="Path"/>); default: the system's temporary folder.
    /// </summary>
    public string? CacheDirectory { get; set; }
}
