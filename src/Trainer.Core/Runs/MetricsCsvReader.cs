using System.Globalization;
using Trainer.Training;

namespace Trainer.Runs;

/// <summary>Reads a run's <c>metrics.csv</c> (as written by <see cref="MetricsCsvWriter"/>) back into per-epoch metrics.</summary>
public static class MetricsCsvReader
{
    /// <summary>The column of each epoch's wall-clock seconds.</summary>
    public const string SecondsColumn = "seconds";

    /// <summary>The column of each epoch's training throughput (absent from files written before it was added).</summary>
    public const string SamplesPerSecondColumn = "samples_per_second";

    /// <summary>The epochs of the file at <paramref name="path"/>; empty when it does not exist. Empty cells are left out.</summary>
    /// <exception cref="InvalidDataException">The header lacks an <c>epoch</c> column or a cell is not a number; the message names the line.</exception>
    public static IReadOnlyList<EpochMetrics> Read(string path) => File.Exists(path) ? Parse(File.ReadLines(path), path) : [];

    /// <summary>The epochs of a file's lines (header first); <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The header lacks an <c>epoch</c> column or a cell is not a number; the message names the line.</exception>
    public static IReadOnlyList<EpochMetrics> Parse(IEnumerable<string> lines, string name)
    {
        string[]? header = null;
        int epochColumn = -1, secondsColumn = -1, rateColumn = -1, row = 0;
        var history = new List<EpochMetrics>();
        foreach (var line in lines)
        {
            row++;
            if (header is null)
            {
                header = line.Split(',');
                epochColumn = Array.IndexOf(header, "epoch");
                secondsColumn = Array.IndexOf(header, SecondsColumn);
                rateColumn = Array.IndexOf(header, SamplesPerSecondColumn);
                if (epochColumn < 0) throw new InvalidDataException($"'{name}' has no 'epoch' column in its header.");
                continue;
            }
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            var values = new Dictionary<string, double>();
            var epoch = 0;
            double seconds = 0, rate = 0;
            for (var column = 0; column < Math.Min(cells.Length, header.Length); column++)
            {
                if (cells[column].Length == 0) continue;
                if (!double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    throw new InvalidDataException($"'{name}' line {row}: '{cells[column]}' in column '{header[column]}' is not a number.");
                if (column == epochColumn) epoch = (int)value;
                else if (column == secondsColumn) seconds = value;
                else if (column == rateColumn) rate = value;
                else values[header[column]] = value;
            }
            history.Add(new EpochMetrics(epoch, seconds, rate, values));
        }
        return history;
    }
}
