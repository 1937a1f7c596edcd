namespace Trainer.Training;

/// <summary>Compares values of a monitored metric in its direction, with a minimum improvement.</summary>
public sealed class MetricMonitor
{
    private static readonly string[] MaximisedWords = ["acc", "auc", "f1", "precision", "recall", "score", "iou", "map"];

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

    /// <summary>Resolves <see cref="MonitorMode.Auto"/>: names containing acc, auc, f1, precision, recall, score, iou or map are maximised.</summary>
    public static MonitorMode Resolve(string metric, MonitorMode mode) =>
        mode != MonitorMode.Auto ? mode
        : MaximisedWords.Any(w => metric.Contains(w, StringComparison.OrdinalIgnoreCase)) ? MonitorMode.Max : MonitorMode.Min;

    /// <summary>True when <paramref name="value"/> beats <paramref name="best"/> by more than <see cref="MinDelta"/>.</summary>
    public bool IsImprovement(double value, double best) =>
        Mode == MonitorMode.Min ? value < best - MinDelta : value > best + MinDelta;

    /// <summary>True when <paramref name="value"/> is at least as good as <paramref name="threshold"/>.</summary>
    public bool Reaches(double value, double threshold) => Mode == MonitorMode.Min ? value <= threshold : value >= threshold;
}
