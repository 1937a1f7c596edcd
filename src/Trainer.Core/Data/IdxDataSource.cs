using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// <c>Data:Source = "idx"</c>: a folder with the four standard MNIST-style files
/// (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>,
/// <c>t10k-labels-idx1-ubyte</c>, each optionally <c>.gz</c>). Pixels are scaled to [0, 1]. Uncompressed image files can
/// also be streamed (<c>Data:Loading</c>): read image by image from storage; compressed ones only load into memory.
/// </summary>
public sealed class IdxDataSource : IStreamingDataSource, IPredictionInputSource
{
    /// <inheritdoc />
    public string Name => "idx";

    /// <inheritdoc />
    /// <remarks>An IDX images file (its labels file beside it is read too), or a folder of the four files (its t10k test images).</remarks>
    public ExampleInputs ReadInputs(DataOptions options, string path) => IdxInputs.Read(path);

    /// <inheritdoc />
    public RawData Load(DataOptions options)
    {
        var folder = Folder(options);
        var train = LoadPair(folder, "train");
        var test = LoadPair(folder, "t10k");
        return new RawData(train, test);
    }

    /// <inheritdoc />
    public StreamedData Open(DataOptions options) => OpenFolder(Folder(options));

    /// <inheritdoc />
    public string? CannotStream(DataOptions options) => CannotStreamFolder(Folder(options));

    /// <summary>Opens the training and test images of <paramref name="folder"/> for streaming (uncompressed image files).</summary>
    public static StreamedData OpenFolder(string folder)
    {
        var train = OpenPair(folder, "train");
        try
        {
            return new StreamedData(train, OpenPair(folder, "t10k"));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>Why the IDX files in <paramref name="folder"/> cannot be streamed (a compressed image file), or null.</summary>
    public static string? CannotStreamFolder(string folder)
    {
        foreach (var prefix in new[] { "train", "t10k" })
        {
            var images = Find(folder, $"{prefix}-images-idx3-ubyte");
            if (IdxExampleStore.IsCompressed(images))
                return $"the IDX file '{images}' is gzip-compressed, and streaming reads images one at a time from uncompressed files; " +
                       $"decompress it (gunzip -k '{images}') or set Data:Loading to memory.";
        }
        return null;
    }

    private static IdxExampleStore OpenPair(string folder, string prefix) =>
        new(Find(folder, $"{prefix}-images-idx3-ubyte"), Find(folder, $"{prefix}-labels-idx1-ubyte"));

    private static string Folder(DataOptions options)
    {
        var folder = options.Path ?? throw new RecipeException("Data:Path is required for the idx source.");
        if (!Directory.Exists(folder))
            throw new RecipeException($"Data:Path folder '{folder}' does not exist; point it at the folder holding the IDX files.");
        return folder;
    }

    /// <summary>Loads one images/labels pair, e.g. prefix "train" or "t10k".</summary>
    public static Dataset LoadPair(string folder, string prefix)
    {
        var imagesPath = Find(folder, $"{prefix}-images-idx3-ubyte");
        var labelsPath = Find(folder, $"{prefix}-labels-idx1-ubyte");
        var (imageDims, pixels, pixelOffset) = IdxFile.Read(imagesPath);
        var (labelDims, labelBytes, labelOffset) = IdxFile.Read(labelsPath);
        if (imageDims.Length != 3)
            throw new RecipeException($"Data file '{imagesPath}' holds {imageDims.Length} dimensions; images need 3 (count, rows, columns).");
        if (labelDims.Length != 1)
            throw new RecipeException($"Data file '{labelsPath}' holds {labelDims.Length} dimensions; labels need 1.");
        if (labelDims[0] != imageDims[0])
            throw new RecipeException($"Data files '{imagesPath}' and '{labelsPath}' disagree: {imageDims[0]} images but {labelDims[0]} labels.");

        var classCount = labelBytes.AsSpan(labelOffset).ToArray().Max() + 1;
        // The pixels stay the decompressed file's bytes (no copy): DataPipeline scales each split to float32 after
        // splitting, so the whole set never exists as float32 twice.
        var count = (long)imageDims[0] * imageDims[1] * imageDims[2];
        using var flat = frombuffer(pixels, ScalarType.Byte, count, pixelOffset);
        var features = flat.view(imageDims[0], 1, imageDims[1], imageDims[2]);
        using var labelView = frombuffer(labelBytes, ScalarType.Byte, labelDims[0], labelOffset);
        var labels = labelView.to_type(ScalarType.Int64);
        return new Dataset(features, labels, classCount);
    }

    private static string Find(string folder, string stem)
    {
        // Uncompressed first: where both are there, streaming can read the uncompressed file (and loading it is faster).
        foreach (var name in new[] { stem, stem + ".gz", stem.Replace("-idx", ".idx", StringComparison.Ordinal), stem.Replace("-idx", ".idx", StringComparison.Ordinal) + ".gz" })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) return path;
        }
        throw new RecipeException($"Data file '{Path.Combine(folder, stem)}[.gz]' does not exist; Data:Path must hold the four IDX files.");
    }
}
