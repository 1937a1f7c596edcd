using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>
/// <c>r2</c>: the coefficient of determination 1 − Σ(y − ŷ)² / Σ(y − ȳ)² over the pass, averaged over the targets when
/// there are several (as scikit-learn's <c>r2_score</c>); 1 is perfect, 0 is as good as predicting the mean.
/// </summary>
public sealed class R2Metric : IMetric
{
    /// <inheritdoc />
    public string Name => "r2";

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public bool Supports(TaskKind kind) => kind == TaskKind.Regression;

    /// <inheritdoc />
    public MetricAccumulator Start(MetricSetting setting)
    {
        var t = setting.Outputs;
        return new SumAccumulator(3 * t, setting.Device, Statistics, (s, n) => Formula(s, n, t));
    }

    // Per target: Σ(y − ŷ)², Σy, Σy², in float64.
    private static Tensor Statistics(Tensor predictions, Tensor targets)
    {
        var y = targets.to_type(ScalarType.Float64);
        var e = predictions.to_type(ScalarType.Float64) - y;
        return cat([e.square().sum([0L]), y.sum([0L]), y.square().sum([0L])]);
    }

    private static double Formula(double[] s, long n, int targets)
    {
        var total = 0.0;
        for (var t = 0; t < targets; t++)
        {
            var residual = s[t];
            var sum = s[targets + t];
            var squares = s[2 * targets + t];
            var spread = squares - sum * sum / n;
            total += spread > 0 ? 1 - residual / spread : residual == 0 ? 1 : 0;
        }
        return total / targets;
    }
}
