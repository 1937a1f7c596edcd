using nietras.SeparatedValues;
using Trainer.Recipes;

namespace Trainer.Data;

/// <summary>
/// Reads a CSV file with a header row into a <see cref="TableFile"/> with Sep, an RFC 4180 parser: quoted fields may hold
/// the delimiter, quotes (doubled) and line breaks. Blank lines are skipped; every other row needs the header's number of fields.
/// </summary>
public static class CsvTable
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="RecipeException"/> naming <paramref name="field"/>, the file and the row.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="field">The recipe setting that names it, e.g. <c>Data:Path</c>.</param>
    /// <param name="delimiter">The field delimiter.</param>
    public static TableFile Read(string path, string field, char delimiter)
    {
        if (Directory.Exists(path)) throw new RecipeException($"{field} '{path}' is a folder; give the CSV file.");
        if (!File.Exists(path)) throw new RecipeException($"{field} file '{path}' does not exist.");
        string[]? header = null;
        var rows = new List<string[]>();
        var lines = new List<int>();
        try
        {
            using var reader = Sep.New(delimiter).Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).FromFile(path);
            foreach (var row in reader)
            {
                if (row.ColCount == 1 && row[0].Span.IsWhiteSpace()) continue; // a blank line
                var fields = new string[row.ColCount];
                for (var i = 0; i < fields.Length; i++) fields[i] = row[i].ToString();
                if (header is null)
                {
                    header = [.. fields.Select(f => f.Trim())];
                    var problem = header.Select((name, i) => name.Length == 0 ? $"column {i + 1} has no name" : null).FirstOrDefault(p => p is not null)
                        ?? header.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"two columns are named '{g.Key}'").FirstOrDefault();
                    if (problem is not null)
                        throw new RecipeException($"Data file '{path}' line {row.LineNumberFrom}: the header row's {problem}; every column needs a name of its own.");
                    continue;
                }
                if (fields.Length != header.Length)
                    throw new RecipeException($"Data file '{path}' row {rows.Count + 1} (line {row.LineNumberFrom}) has {fields.Length} fields where the header has " +
                                              $"{header.Length}; check Data:Delimiter ('{delimiter}') and the quoting.");
                rows.Add(fields);
                lines.Add(row.LineNumberFrom);
            }
        }
        catch (InvalidDataException e)
        {
            throw new RecipeException($"Data file '{path}' is not valid CSV: {e.Message.ReplaceLineEndings(" ")}");
        }
        if (header is null || rows.Count == 0) throw new RecipeException($"Data file '{path}' holds no rows under its header.");
        return new TableFile(path, field, header, rows, lines);
    }
}
