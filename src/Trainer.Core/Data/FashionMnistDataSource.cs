using Trainer.Recipes;

namespace Trainer.Data;

/// <summary>
/// <c>Data:Source = "fashion-mnist"</c>: Zalando's Fashion-MNIST (60,000 training and 10,000 test images, 28x28, ten
/// classes; MIT licence) from its four IDX files. Without <c>Data:Path</c> it looks in <c>$TRAINER_DATA</c> (and its
/// <c>fashion-mnist</c> subfolder), <c>~/.trainer/data/fashion-mnist</c> and <c>/usr/share/datasets/fashion-mnist</c>.
/// </summary>
public sealed class FashionMnistDataSource : IDataSource
{
    /// <summary>The environment variable naming a data folder.</summary>
    public const string DataVariable = "TRAINER_DATA";

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
        folders.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".trainer", "data", "fashion-mnist"));
        folders.Add("/usr/share/datasets/fashion-mnist");
        return folders;
    }

    /// <inheritdoc />
    public RawData Load(DataOptions options)
    {
        var folders = options.Path is { } path ? [path] : DefaultFolders();
        var folder = folders.FirstOrDefault(HasTrainingImages)
            ?? throw new RecipeException(
                $"Fashion-MNIST was not found; looked in {string.Join(", ", folders)}. Put the four IDX files " +
                "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in one of them, " +
                "set Data:Path or $TRAINER_DATA, or on Debian run 'apt-get install dataset-fashion-mnist'.");
        return new RawData(IdxDataSource.LoadPair(folder, "train"), IdxDataSource.LoadPair(folder, "t10k"));
    }

    private static bool HasTrainingImages(string folder) =>
        File.Exists(Path.Combine(folder, "train-images-idx3-ubyte.gz")) || File.Exists(Path.Combine(folder, "train-images-idx3-ubyte"));
}
