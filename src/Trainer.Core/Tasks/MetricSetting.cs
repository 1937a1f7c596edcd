using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>What a metric accumulates for.</summary>
/// <param name="Kind">The task.</param>
/// <param name="Outputs">The model's outputs per example (classes, targets or labels).</param>
/// <param name="Threshold">Binary and multilabel: the probability from which an output counts as positive.</param>
/// <param name="Device">Where the outputs are, and the accumulator's sums stay.</param>
public sealed record MetricSetting(TaskKind Kind, int Outputs, double Threshold, Device Device)
{
    /// <summary>The logit of <see cref="Threshold"/>: an output above it is positive.</summary>
    public double LogitThreshold => Math.Log(Threshold / (1 - Threshold));
}
