using Trainer.Recipes;

namespace Trainer.Data;

/// <summary>
/// <c>Data:Source = "fashion-mnist"</c>: Zalando's Fashion-MNIST (60,000 training and 10,000 test images, 28x28, ten
/// classes; MIT licence) from its four IDX files. Without <c>Data:Path</c> it looks in <c>$TRAINER_DATA</c> (and its
/// <c>fashion-mnist</c> subfolder), <c>~/.trainer/data/fashion-mnist</c> and <c>/usr/share/datasets/fashion-mnist</c>.
/// With <c>Data:Download = true</c> and the files found nowhere, it downloads them into <see cref="DownloadFolder"/>,
/// checking each file's size and SHA-256.
/// </summary>
/// <remarks>Decompressed files (<c>gunzip -k *.gz</c> in the folder) can also be streamed (<c>Data:Loading</c>), as with <c>idx</c>.</remarks>
public sealed class FashionMnistDataSource : IStreamingDataSource, IPredictionInputSource
{
    /// <summary>The environment variable naming a data folder.</summary>
    public const string DataVariable = "TRAINER_DATA";

    /// <summary>The data set's public location, the default of <c>Data:DownloadUrl</c>.</summary>
    public const string DefaultDownloadUrl = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    /// <summary>
    /// Zalando's original gzip files as published at <see cref="DefaultDownloadUrl"/> (the README's MD5s match them).
    /// Debian's <c>dataset-fashion-mnist</c> holds the same data with rewritten gzip headers, so its files differ.
    /// </summary>
    public static IReadOnlyList<DownloadFile> OriginalFiles { get; } =
    [
        new("train-images-idx3-ubyte.gz", 26_421_880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
        new("train-labels-idx1-ubyte.gz", 29_515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
        new("t10k-images-idx3-ubyte.gz", 4_422_102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
        new("t10k-labels-idx1-ubyte.gz", 5_148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
    ];

    private static readonly string[] Stems =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    private readonly IReadOnlyList<DownloadFile> files;

    /// <summary>Creates the source; downloads are checked against <see cref="OriginalFiles"/>.</summary>
    public FashionMnistDataSource() : this(OriginalFiles)
    {
    }

    /// <summary>Creates the source with the files a download must match, e.g. those of a mirror that re-packed them.</summary>
    /// <param name="files">The files fetched from <c>Data:DownloadUrl</c>, with their sizes and SHA-256.</param>
    public FashionMnistDataSource(IReadOnlyList<DownloadFile> files) => this.files = files;

    /// <inheritdoc />
    public string Name => "fashion-mnist";

    /// <summary>The folders searched, in order, when <c>Data:Path</c> is not set.</summary>
    public static IReadOnlyList<string> DefaultFolders()
    {
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable(DataVariable) is { Length: > 0 } data)
        {
            folders.Add(Path.Combine(data, "fashion-mnist"));
            folders.Add(data);
        }
        folders.Add(UserFolder());
        folders.Add("/usr/share/datasets/fashion-mnist");
        return folders;
    }

    /// <summary>
    /// Where <c>Data:Download</c> puts the files: <c>Data:Path</c> if set, else <c>$TRAINER_DATA/fashion-mnist</c> if that
    /// variable is set, else <c>~/.trainer/data/fashion-mnist</c>.
    /// </summary>
    public static string DownloadFolder(DataOptions options) =>
        options.Path is { Length: > 0 } path ? path
        : Environment.GetEnvironmentVariable(DataVariable) is { Length: > 0 } data ? Path.Combine(data, "fashion-mnist")
        : UserFolder();

    /// <inheritdoc />
    /// <remarks>An IDX images file (its labels file beside it is read too), or a folder of the four files (its t10k test images).</remarks>
    public ExampleInputs ReadInputs(DataOptions options, string path) => IdxInputs.Read(path);

    /// <inheritdoc />
    public RawData Load(DataOptions options)
    {
        var folder = Locate(options);
        return new RawData(IdxDataSource.LoadPair(folder, "train"), IdxDataSource.LoadPair(folder, "t10k"));
    }

    /// <inheritdoc />
    public StreamedData Open(DataOptions options) => IdxDataSource.OpenFolder(Locate(options));

    /// <inheritdoc />
    public string? CannotStream(DataOptions options)
    {
        var folders = options.Path is { } path ? [path] : DefaultFolders();
        return folders.FirstOrDefault(HasAllFiles) is { } folder ? IdxDataSource.CannotStreamFolder(folder)
            : "its files are not in place yet (they are downloaded or reported missing when loaded)";
    }

    private string Locate(DataOptions options)
    {
        var folders = options.Path is { } path ? [path] : DefaultFolders();
        var url = options.DownloadUrl ?? DefaultDownloadUrl;
        return folders.FirstOrDefault(HasAllFiles)
            ?? (options.Download ? Download(options, url) : folders.FirstOrDefault(HasTrainingImages))
            ?? throw new RecipeException(
                $"Fashion-MNIST was not found; looked in {string.Join(", ", folders)}. Put the four IDX files " +
                "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in one of them, " +
                $"set Data:Path or $TRAINER_DATA, on Debian run 'apt-get install dataset-fashion-mnist', or set Data:Download=true to fetch them from {url}.");
    }

    private string Download(DataOptions options, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
            throw new RecipeException($"Data:DownloadUrl '{url}' must be an absolute http or https URL, such as {DefaultDownloadUrl}.");
        var folder = DownloadFolder(options);
        var downloader = new DataSetDownloader(baseUrl, files)
        {
            Advice = "Check the network and Data:DownloadUrl, or get the files another way: on Debian run 'apt-get install dataset-fashion-mnist', " +
                     $"or put the four IDX files in {folder} yourself.",
        };
        downloader.Download(folder);
        return folder;
    }

    private static string UserFolder() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".trainer", "data", "fashion-mnist");

    private static bool HasAllFiles(string folder) =>
        Stems.All(stem => File.Exists(Path.Combine(folder, stem + ".gz")) || File.Exists(Path.Combine(folder, stem)));

    private static bool HasTrainingImages(string folder) =>
        File.Exists(Path.Combine(folder, "train-images-idx3-ubyte.gz")) || File.Exists(Path.Combine(folder, "train-images-idx3-ubyte"));
}
