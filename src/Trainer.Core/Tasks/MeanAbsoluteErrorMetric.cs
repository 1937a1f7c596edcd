using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary><c>mae</c>: the mean absolute error, in the target's own units (averaged over the targets when there are several).</summary>
public sealed class MeanAbsoluteErrorMetric : IMetric
{
    /// <inheritdoc />
    public string Name => "mae";

    /// <inheritdoc />
    public bool HigherIsBetter => false;

    /// <inheritdoc />
    public bool Supports(TaskKind kind) => kind == TaskKind.Regression;

    /// <inheritdoc />
    public MetricAccumulator Start(MetricSetting setting)
    {
        var outputs = setting.Outputs;
        return new SumAccumulator(1, setting.Device, (p, y) => (p - y).abs().sum().unsqueeze(0), (s, n) => s[0] / ((double)n * outputs));
    }
}
