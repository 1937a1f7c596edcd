using ScottPlot;
using Trainer.Training;

namespace Trainer.Reports;

/// <summary>
/// A run's pictures, as PNG files in <c>RUN_DIR/plots/</c>: loss curves (train, validation, EWMA-smoothed), accuracy
/// curves (with the weight average's when present) and the learning rate, one point per epoch.
/// </summary>
public static class RunPlots
{
    /// <summary>The folder of plots inside a run directory.</summary>
    public const string Folder = Trainer.Runs.RunFiles.Plots;

    /// <summary>Writes the plots of <paramref name="history"/>; returns their paths (none without a finished epoch).</summary>
    public static IReadOnlyList<string> Write(string runDirectory, IReadOnlyList<EpochMetrics> history)
    {
        if (history.Count == 0) return [];
        var folder = Path.Combine(runDirectory, Folder);
        Directory.CreateDirectory(folder);
        var primary = PrimaryMetric(history[0]);
        return
        [
            Chart(folder, "loss.png", "Loss", "loss", history,
                [(MetricNames.TrainLoss, "train"), (MetricNames.ValLoss, "validation"), ("ewma_train_loss", "train (EWMA)"), ("ema_val_loss", "validation (weight average)")]),
            Chart(folder, primary == "accuracy" ? "accuracy.png" : primary + ".png", primary == "accuracy" ? "Accuracy" : primary.ToUpperInvariant(), primary, history,
                [("train_" + primary, "train"), ("val_" + primary, "validation"), ("ewma_train_" + primary, "train (EWMA)"), ("ema_val_" + primary, "validation (weight average)")]),
            Chart(folder, "learning-rate.png", "Learning rate", "learning rate", history, [(MetricNames.LearningRate, "lr")]),
        ];
    }

    /// <summary>
    /// The task's primary metric as the epochs show it: accuracy for a classifier, else the first training metric that
    /// is not the loss (rmse for regression, …).
    /// </summary>
    public static string PrimaryMetric(EpochMetrics epoch) =>
        epoch[MetricNames.TrainAccuracy] is not null ? "accuracy"
        : epoch.Values.Keys.FirstOrDefault(k => k.StartsWith("train_", StringComparison.Ordinal) && k != MetricNames.TrainLoss)?["train_".Length..] ?? "accuracy";

    private static string Chart(string folder, string file, string title, string yLabel, IReadOnlyList<EpochMetrics> history,
        IReadOnlyList<(string Metric, string Label)> series)
    {
        var plot = new Plot();
        foreach (var (metric, label) in series)
        {
            var points = history.Where(h => h[metric] is { } v && double.IsFinite(v)).ToList();
            if (points.Count == 0) continue;
            var line = plot.Add.Scatter(points.Select(h => (double)h.Epoch).ToArray(), points.Select(h => h[metric]!.Value).ToArray());
            line.LegendText = label;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.ShowLegend();
        var path = Path.Combine(folder, file);
        plot.SavePng(path, 800, 500);
        return path;
    }
}
