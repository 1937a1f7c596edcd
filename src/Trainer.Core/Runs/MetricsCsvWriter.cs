using System.Globalization;
using Trainer.Training;

namespace Trainer.Runs;

/// <summary>
/// Writes <c>metrics.csv</c>: one row per epoch (epoch, lr, train_loss, train_accuracy, val_loss, val_accuracy — no
/// accuracy columns for a task without accuracy —, any other metric present in the first epoch, seconds, samples_per_second), flushed after each row so a crash keeps every
/// finished epoch.
/// </summary>
public sealed class MetricsCsvWriter : IDisposable
{
    private static readonly string[] StandardColumns =
        [MetricNames.LearningRate, MetricNames.TrainLoss, MetricNames.TrainAccuracy, MetricNames.ValLoss, MetricNames.ValAccuracy];

    private readonly StreamWriter writer;
    private string[]? columns;

    /// <summary>Creates (or replaces) the file at <paramref name="path"/>.</summary>
    public MetricsCsvWriter(string path) => writer = new StreamWriter(path, append: false);

    /// <summary>Appends the row of <paramref name="metrics"/>; the first call writes the header.</summary>
    public void Write(EpochMetrics metrics)
    {
        if (columns is null)
        {
            // A task without accuracy (regression, multilabel) has no accuracy columns; its own metrics follow the standard ones.
            var standard = metrics.Values.ContainsKey(MetricNames.TrainAccuracy) ? StandardColumns
                : StandardColumns.Where(c => c is not (MetricNames.TrainAccuracy or MetricNames.ValAccuracy)).ToArray();
            columns = [.. standard, .. metrics.Values.Keys.Where(k => !standard.Contains(k))];
            writer.WriteLine(string.Join(",", ["epoch", .. columns, MetricsCsvReader.SecondsColumn, MetricsCsvReader.SamplesPerSecondColumn]));
        }
        var cells = columns.Select(c => metrics.Values.TryGetValue(c, out var v) ? Format(v) : "");
        writer.WriteLine(string.Join(",", [metrics.Epoch.ToString(CultureInfo.InvariantCulture), .. cells, Format(metrics.Seconds), Format(metrics.SamplesPerSecond)]));
        writer.Flush();
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose() => writer.Dispose();
}
