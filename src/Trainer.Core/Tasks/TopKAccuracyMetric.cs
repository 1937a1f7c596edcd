using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary><c>topK_accuracy</c> (e.g. <c>top5_accuracy</c>): the fraction of examples whose target is among the K largest logits.</summary>
/// <param name="k">K, at least 1.</param>
public sealed class TopKAccuracyMetric(int k) : IMetric
{
    /// <summary>K.</summary>
    public int K { get; } = k;

    /// <inheritdoc />
    public string Name => $"top{K}_accuracy";

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public bool Supports(TaskKind kind) => kind == TaskKind.Classification;

    /// <inheritdoc />
    public MetricAccumulator Start(MetricSetting setting)
    {
        var k = Math.Min(K, setting.Outputs);
        return new SumAccumulator(1, setting.Device, (p, y) => p.topk(k, dim: 1).indexes.eq(y.unsqueeze(1)).any(1).sum().unsqueeze(0), (s, n) => s[0] / n);
    }
}
