using Trainer.Recipes;

namespace Trainer.Data;

/// <summary>
/// <c>Data:Source = "csv"</c>: a CSV file (<c>Data:Path</c>) split by <c>Data:Delimiter</c>; an optional
/// <c>Data:TestPath</c> gives the test split, otherwise <c>Data:TestFraction</c> of the rows is held out. Without
/// <c>Data:Target</c> the file is numeric with the class label in the last column (a first line that is not numeric is
/// skipped as a header). With it the file is a table with a header row, read by an RFC 4180 parser and encoded by
/// <see cref="TableEncoder"/> with what the training rows show.
/// </summary>
public sealed class CsvDataSource : ITableDataSource
{
    /// <inheritdoc />
    public string Name => "csv";

    /// <inheritdoc />
    /// <remarks>A table (<c>Data:Target</c>) loaded this way fits its encoding on every row of <c>Data:Path</c>.</remarks>
    public RawData Load(DataOptions options)
    {
        if (ReadTable(options) is { } table) return TableEncoder.Encode(table, options, [.. Enumerable.Range(0, table.Train.Count).Select(i => (long)i)]).Data;
        var delimiter = Delimiter(options);
        var train = ReadFile(options.Path ?? throw new RecipeException("Data:Path is required for the csv source."), "Data:Path", delimiter);
        var test = options.TestPath is null ? null : ReadFile(options.TestPath, "Data:TestPath", delimiter);
        if (test is not null && !test.FeatureShape.SequenceEqual(train.FeatureShape))
            throw new RecipeException($"Data:TestPath '{options.TestPath}' has {test.FeatureShape[0]} features per row but Data:Path has {train.FeatureShape[0]}.");
        return new RawData(train, test);
    }

    /// <inheritdoc />
    public TableRows? ReadTable(DataOptions options)
    {
        if (options.Target is null) return null;
        var delimiter = Delimiter(options);
        var train = CsvTable.Read(options.Path ?? throw new RecipeException("Data:Path is required for the csv source."), "Data:Path", delimiter);
        var test = options.TestPath is null ? null : CsvTable.Read(options.TestPath, "Data:TestPath", delimiter);
        return new TableRows(train, test);
    }

    private static char Delimiter(DataOptions options) =>
        options.Delimiter is { Length: 1 } d ? d[0] : throw new RecipeException($"Data:Delimiter '{options.Delimiter}' must be one character, such as ',' or ';'.");

    private static Dataset ReadFile(string path, string field, char delimiter)
    {
        if (Directory.Exists(path)) throw new RecipeException($"{field} '{path}' is a folder; give the CSV file.");
        if (!File.Exists(path)) throw new RecipeException($"{field} file '{path}' does not exist.");
        using var reader = new StreamReader(path);
        return NumericCsv.Read(reader, path, delimiter: delimiter);
    }
}
