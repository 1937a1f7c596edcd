using System.Globalization;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Parses numeric delimited (by default comma-separated) data whose last column is an integer class label 0..K-1. A first line that is not
/// numeric is taken as a header and skipped; blank lines are ignored.
/// </summary>
public static class NumericCsv
{
    /// <summary>The longest line read (4 MiB); a longer one is not a table row (a file without line breaks, the wrong file).</summary>
    public const int MaxLineLength = 4 << 20;

    /// <summary>Parses <paramref name="reader"/>; <paramref name="sourceName"/> names the file in error messages.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="sourceName">File name used in messages.</param>
    /// <param name="featureShape">Shape of one example, or null for a flat row of features.</param>
    /// <param name="delimiter">The field delimiter (<c>Data:Delimiter</c>).</param>
    public static Dataset Read(TextReader reader, string sourceName, long[]? featureShape = null, char delimiter = ',')
    {
        var features = new List<float>();
        var labels = new List<long>();
        int columns = -1, lineNumber = 0;
        string? line;
        while ((line = ReadLine(reader, sourceName, lineNumber + 1)) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split(delimiter);
            if (columns < 0 && lineNumber == 1 && !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                continue; // header
            if (columns < 0)
            {
                columns = fields.Length;
                if (columns < 2)
                    throw new RecipeException($"Data file '{sourceName}' line {lineNumber}: a row needs at least one feature and a label.");
            }
            else if (fields.Length != columns)
            {
                throw new RecipeException($"Data file '{sourceName}' line {lineNumber}: {fields.Length} columns where earlier rows have {columns}.");
            }

            for (var c = 0; c < columns - 1; c++)
            {
                if (!float.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
                    throw new RecipeException($"Data file '{sourceName}' line {lineNumber} column {c + 1}: '{fields[c]}' is not a finite number.");
                features.Add(value);
            }
            var labelText = fields[columns - 1].Trim();
            if (!double.TryParse(labelText, NumberStyles.Float, CultureInfo.InvariantCulture, out var label) ||
                label < 0 || label != Math.Floor(label) || label > int.MaxValue)
                throw new RecipeException($"Data file '{sourceName}' line {lineNumber}: label '{labelText}' is not a class index (0, 1, 2, ...).");
            labels.Add((long)label);
        }

        if (labels.Count == 0) throw new RecipeException($"Data file '{sourceName}' holds no rows.");
        if ((long)labels.Count * (columns - 1) > int.MaxValue)
            throw new RecipeException($"Data file '{sourceName}' has {labels.Count} rows of {columns - 1} features, more than one tensor of float32 holds here.");
        var shape = featureShape ?? [columns - 1];
        if (shape.Aggregate(1L, (a, b) => a * b) != columns - 1)
            throw new RecipeException($"Data file '{sourceName}' has {columns - 1} features per row; expected {string.Join("x", shape)}.");
        var x = tensor(features.ToArray(), [labels.Count, .. shape]);
        var y = tensor(labels.ToArray(), [labels.Count]);
        return new Dataset(x, y, (int)labels.Max() + 1);
    }

    /// <summary>The next line without its ending, or null at the end; a line longer than <see cref="MaxLineLength"/> is an error, not an allocation.</summary>
    private static string? ReadLine(TextReader reader, string sourceName, int lineNumber)
    {
        var line = new System.Text.StringBuilder();
        while (true)
        {
            var next = reader.Read();
            if (next < 0) return line.Length > 0 ? line.ToString().TrimEnd('\r') : null;
            if (next == '\n') return line.ToString().TrimEnd('\r');
            line.Append((char)next);
            if (line.Length > MaxLineLength)
                throw new RecipeException($"Data file '{sourceName}' line {lineNumber} is longer than {MaxLineLength / (1 << 20)} MiB without a line break; " +
                                          "is it a CSV file with one row per line?");
        }
    }
}
