using System.Globalization;
using System.Text;

namespace Trainer.Hosting.Experiments;

/// <summary>
/// The experiment's table, one row per variant: status, epochs, best objective (and its epoch), final training and
/// validation loss and accuracy, the train−validation accuracy gap (over-fitting), test accuracy and time.
/// </summary>
public static class ComparisonTable
{
    /// <summary>The CSV file name in an experiment directory.</summary>
    public const string FileName = "comparison.csv";

    private static readonly string[] MetricColumns = ["train_loss", "val_loss", "train_accuracy", "val_accuracy", "test_accuracy"];

    /// <summary>The header and rows as cells.</summary>
    public static (string[] Header, List<string[]> Rows) Cells(ExperimentRecord record)
    {
        string[] header = ["variant", "status", "epochs", $"best_{record.Objective}", "best_epoch", .. MetricColumns, "gap", "seconds"];
        var rows = record.Variants.Select(v =>
        {
            double? M(string name) => v.Metrics.TryGetValue(name, out var x) ? x : null;
            double? gap = M("train_accuracy") is { } train && M("val_accuracy") is { } val ? train - val : null;
            return new[]
            {
                v.Name, v.Status, v.Epochs.ToString(CultureInfo.InvariantCulture), ExperimentRunner.Format(v.BestObjective),
                v.BestObjectiveEpoch?.ToString(CultureInfo.InvariantCulture) ?? "",
            }.Concat(MetricColumns.Select(c => ExperimentRunner.Format(M(c))))
             .Append(ExperimentRunner.Format(gap))
             .Append(v.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)).ToArray();
        }).ToList();
        return (header, rows);
    }

    /// <summary>Writes the table as CSV (names quoted when they hold a comma or quote).</summary>
    public static void WriteCsv(string path, ExperimentRecord record)
    {
        var (header, rows) = Cells(record);
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
            text.AppendLine(string.Join(",", row.Select(Quote)));
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>The table as aligned text for the console.</summary>
    public static string Text(ExperimentRecord record)
    {
        var (header, rows) = Cells(record);
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, c) => all.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        foreach (var failed in record.Variants.Where(v => v.Error is not null))
            text.AppendLine($"{failed.Name}: {failed.Error}");
        return text.ToString().TrimEnd();
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
