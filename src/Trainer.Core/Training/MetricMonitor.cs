namespace Trainer.Training;

/// <summary>Compares values of a monitored metric in its direction, with a minimum improvement.</summary>
public sealed class MetricMonitor
{
    private static readonly string[] MaximisedPrefixes = ["acc", "precision", "recall", "score"];
    private static readonly string[] MaximisedWords = ["auc", "f1", "iou", "map", "top1", "top5"];

    /// <summary>Creates a monitor of <paramref name="metric"/>.</summary>
    /// <param name="metric">The metric's name, e.g. "val_loss".</param>
    /// <param name="mode">Its direction; <see cref="MonitorMode.Auto"/> infers it from the name.</param>
    /// <param name="minDelta">The least change that counts as an improvement (absolute, at least 0).</param>
    public MetricMonitor(string metric, MonitorMode mode = MonitorMode.Auto, double minDelta = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        ArgumentOutOfRangeException.ThrowIfNegative(minDelta);
        Metric = metric;
        Mode = Resolve(metric, mode);
        MinDelta = minDelta;
    }

    /// <summary>The metric's name.</summary>
    public string Metric { get; }

    /// <summary>The resolved direction: <see cref="MonitorMode.Min"/> or <see cref="MonitorMode.Max"/>.</summary>
    public MonitorMode Mode { get; }

    /// <summary>The least change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>The worst possible value in this direction (the starting "best").</summary>
    public double Worst => Mode == MonitorMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>
    /// Resolves <see cref="MonitorMode.Auto"/> from the name's "_"-separated words: a word starting with acc, precision,
    /// recall or score, or one of auc, f1, iou, map, top1, top5, makes it maximised ("val_accuracy"); anything else
    /// ("val_loss", "val_mape") is minimised.
    /// </summary>
    public static MonitorMode Resolve(string metric, MonitorMode mode)
    {
        if (mode != MonitorMode.Auto) return mode;
        var words = metric.ToLowerInvariant().Split('_', '-', '.', ' ');
        return words.Any(w => MaximisedPrefixes.Any(p => w.StartsWith(p, StringComparison.Ordinal)) || MaximisedWords.Contains(w))
            ? MonitorMode.Max : MonitorMode.Min;
    }

    /// <summary>True when <paramref name="value"/> beats <paramref name="best"/> by more than <see cref="MinDelta"/>.</summary>
    public bool IsImprovement(double value, double best) =>
        Mode == MonitorMode.Min ? value < best - MinDelta : value > best + MinDelta;

    /// <summary>True when <paramref name="value"/> is at least as good as <paramref name="threshold"/>.</summary>
    public bool Reaches(double value, double threshold) => Mode == MonitorMode.Min ? value <= threshold : value >= threshold;
}
