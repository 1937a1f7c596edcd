using Trainer.Recipes;

namespace Trainer.Data;

/// <summary>
/// <c>Data:Source = "csv"</c>: a numeric CSV file (<c>Data:Path</c>), label in the last column; an optional
/// <c>Data:TestPath</c> gives the test split, otherwise <c>Data:TestFraction</c> of the rows is held out.
/// </summary>
public sealed class CsvDataSource : IDataSource
{
    /// <inheritdoc />
    public string Name => "csv";

    /// <inheritdoc />
    public RawData Load(DataOptions options)
    {
        var train = ReadFile(options.Path ?? throw new RecipeException("Data:Path is required for the csv source."), "Data:Path");
        var test = options.TestPath is null ? null : ReadFile(options.TestPath, "Data:TestPath");
        if (test is not null && !test.FeatureShape.SequenceEqual(train.FeatureShape))
            throw new RecipeException($"Data:TestPath '{options.TestPath}' has {test.FeatureShape[0]} features per row but Data:Path has {train.FeatureShape[0]}.");
        return new RawData(train, test);
    }

    private static Dataset ReadFile(string path, string field)
    {
        if (Directory.Exists(path)) throw new RecipeException($"{field} '{path}' is a folder; give the CSV file.");
        if (!File.Exists(path)) throw new RecipeException($"{field} file '{path}' does not exist.");
        using var reader = new StreamReader(path);
        return NumericCsv.Read(reader, path);
    }
}
