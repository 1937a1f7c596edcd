using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>
/// <c>f1</c>, <c>precision</c> and <c>recall</c> of the positive class (binary) or over every label together (multilabel,
/// micro-averaged), from the counts of true positives, false positives and false negatives at the threshold.
/// </summary>
public sealed class ConfusionMetric : IMetric
{
    private readonly Func<double, double, double, double> formula;

    private ConfusionMetric(string name, Func<double, double, double, double> formula)
    {
        Name = name;
        this.formula = formula;
    }

    /// <summary><c>f1</c>: 2·TP / (2·TP + FP + FN).</summary>
    public static ConfusionMetric F1 { get; } = new("f1", (tp, fp, fn) => Ratio(2 * tp, 2 * tp + fp + fn));

    /// <summary><c>precision</c>: TP / (TP + FP).</summary>
    public static ConfusionMetric Precision { get; } = new("precision", (tp, fp, _) => Ratio(tp, tp + fp));

    /// <summary><c>recall</c>: TP / (TP + FN).</summary>
    public static ConfusionMetric Recall { get; } = new("recall", (tp, _, fn) => Ratio(tp, tp + fn));

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public bool Supports(TaskKind kind) => kind is TaskKind.Binary or TaskKind.Multilabel;

    /// <inheritdoc />
    public MetricAccumulator Start(MetricSetting setting)
    {
        var threshold = setting.LogitThreshold;
        return new SumAccumulator(3, setting.Device, (p, y) =>
        {
            var predicted = p.gt(threshold);
            var actual = y.gt(0.5);
            return stack([predicted.logical_and(actual).sum(), predicted.logical_and(actual.logical_not()).sum(),
                predicted.logical_not().logical_and(actual).sum()]);
        }, (s, _) => formula(s[0], s[1], s[2]));
    }

    // 0 when there is nothing to divide (no positives predicted or present), as scikit-learn's zero_division=0.
    private static double Ratio(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;
}
