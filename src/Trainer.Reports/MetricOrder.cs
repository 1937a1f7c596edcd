namespace Trainer.Reports;

/// <summary>The order metrics are listed in, and which way is better for each.</summary>
internal static class MetricOrder
{
    private static readonly string[] Preferred =
        ["train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_loss", "test_accuracy"];

    /// <summary>The usual metrics first (train, validation, test), then the others alphabetically.</summary>
    public static IReadOnlyList<string> Sort(IEnumerable<string> metrics) =>
        metrics.Distinct().OrderBy(m => Array.IndexOf(Preferred, m) is var i && i >= 0 ? i : Preferred.Length).ThenBy(m => m, StringComparer.Ordinal).ToList();

    /// <summary>True when larger is better, false when smaller is, null when the name does not say.</summary>
    public static bool? HigherIsBetter(string metric) =>
        metric.Contains("loss", StringComparison.OrdinalIgnoreCase) || metric.Contains("error", StringComparison.OrdinalIgnoreCase) ? false
        : metric.Contains("acc", StringComparison.OrdinalIgnoreCase) || metric.Contains("f1", StringComparison.OrdinalIgnoreCase) ? true
        : null;
}
