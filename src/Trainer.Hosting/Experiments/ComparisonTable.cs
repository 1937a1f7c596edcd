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

    /// <summary>The header and rows as cells.</summary>
    public static (string[] Header, List<string[]> Rows) Cells(ExperimentRecord record)
    {
        // The task's primary metric: accuracy for a classifier, else the one the variants report (rmse for regression, …).
        var primary = record.Variants.SelectMany(v => v.Metrics.Keys).Any(k => k == "val_accuracy" || k == "train_accuracy") ? "accuracy"
            : record.Objective.StartsWith("val_", StringComparison.Ordinal) && record.Objective != "val_loss" ? record.Objective["val_".Length..] : "accuracy";
        string[] metricColumns = ["train_loss", "val_loss", "train_" + primary, "val_" + primary, "test_" + primary];
        string[] header = ["variant", "status", "epochs", $"best_{record.Objective}", "best_epoch", .. metricColumns, "gap", "seconds"];
        var rows = record.Variants.Select(v =>
        {
            double? M(string name) => v.Metrics.TryGetValue(name, out var x) ? x : null;
            double? gap = M("train_" + primary) is { } train && M("val_" + primary) is { } val ? train - val : null;
            return new[]
            {
                v.Name, v.Status, v.Epochs.ToString(CultureInfo.InvariantCulture), ExperimentRunner.Format(v.BestObjective),
                v.BestObjectiveEpoch?.ToString(CultureInfo.InvariantCulture) ?? "",
            }.Concat(metricColumns.Select(c => ExperimentRunner.Format(M(c))))
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
