using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>
/// <c>huber</c>: ½e² for |e| ≤ δ and δ(|e| − ½δ) beyond, averaged over every output: squared near the target, linear
/// for outliers.
/// </summary>
/// <param name="delta">δ, &gt; 0, in the units of the (standardised) targets.</param>
public sealed class HuberLoss(double delta = 1.0) : ILoss
{
    /// <inheritdoc />
    public string Name => "huber";

    /// <inheritdoc />
    public bool Supports(TaskKind kind) => kind == TaskKind.Regression;

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor targets) => nn.functional.huber_loss(outputs, targets, delta: delta);
}
