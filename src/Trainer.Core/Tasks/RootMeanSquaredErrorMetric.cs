using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary><c>rmse</c>: the square root of the mean squared error, in the target's own units.</summary>
public sealed class RootMeanSquaredErrorMetric : IMetric
{
    /// <inheritdoc />
    public string Name => "rmse";

    /// <inheritdoc />
    public bool HigherIsBetter => false;

    /// <inheritdoc />
    public bool Supports(TaskKind kind) => kind == TaskKind.Regression;

    /// <inheritdoc />
    public MetricAccumulator Start(MetricSetting setting)
    {
        var outputs = setting.Outputs;
        return new SumAccumulator(1, setting.Device, (p, y) => (p - y).to_type(ScalarType.Float64).square().sum().unsqueeze(0),
            (s, n) => Math.Sqrt(s[0] / ((double)n * outputs)));
    }
}
