using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>
/// <c>accuracy</c>: the fraction of examples whose class (the largest logit) is the target; for binary and multilabel
/// tasks the fraction of outputs on the right side of the threshold (per label for multilabel).
/// </summary>
public sealed class AccuracyMetric : IMetric
{
    /// <inheritdoc />
    public string Name => "accuracy";

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public bool Supports(TaskKind kind) => kind != TaskKind.Regression;

    /// <inheritdoc />
    public MetricAccumulator Start(MetricSetting setting)
    {
        if (setting.Kind == TaskKind.Classification)
            return new SumAccumulator(1, setting.Device, (p, y) => p.argmax(1).eq(y).sum().unsqueeze(0), (s, n) => s[0] / n);
        var threshold = setting.LogitThreshold;
        var outputs = setting.Outputs;
        return new SumAccumulator(1, setting.Device, (p, y) => p.gt(threshold).eq(y.gt(0.5)).sum().unsqueeze(0), (s, n) => s[0] / ((double)n * outputs));
    }
}
