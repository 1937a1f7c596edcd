using System.Globalization;
using Trainer.Training;

namespace Trainer.Runs;

/// <summary>Reads a run's <c>metrics.csv</c> (as written by <see cref="MetricsCsvWriter"/>) back into per-epoch metrics.</summary>
public static class MetricsCsvReader
{
    /// <summary>The epochs of the file at <paramref name="path"/>; empty when it does not exist. Empty cells are left out.</summary>
    /// <exception cref="InvalidDataException">The header lacks an <c>epoch</c> column or a cell is not a number; the message names the line.</exception>
    public static IReadOnlyList<EpochMetrics> Read(string path)
    {
        if (!File.Exists(path)) return [];
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return [];
        var header = lines[0].Split(',');
        var epochColumn = Array.IndexOf(header, "epoch");
        var secondsColumn = Array.IndexOf(header, "seconds");
        if (epochColumn < 0) throw new InvalidDataException($"'{path}' has no 'epoch' column in its header.");
        var history = new List<EpochMetrics>();
        for (var row = 1; row < lines.Length; row++)
        {
            if (lines[row].Length == 0) continue;
            var cells = lines[row].Split(',');
            var values = new Dictionary<string, double>();
            var epoch = 0;
            var seconds = 0.0;
            for (var column = 0; column < Math.Min(cells.Length, header.Length); column++)
            {
                if (cells[column].Length == 0) continue;
                if (!double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    throw new InvalidDataException($"'{path}' line {row + 1}: '{cells[column]}' in column '{header[column]}' is not a number.");
                if (column == epochColumn) epoch = (int)value;
                else if (column == secondsColumn) seconds = value;
                else values[header[column]] = value;
            }
            history.Add(new EpochMetrics(epoch, seconds, 0, values));
        }
        return history;
    }
}
