using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary><c>l1</c>: the mean absolute error over every output of the batch.</summary>
public sealed class AbsoluteErrorLoss : ILoss
{
    /// <inheritdoc />
    public string Name => "l1";

    /// <inheritdoc />
    public bool Supports(TaskKind kind) => kind == TaskKind.Regression;

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor targets) => nn.functional.l1_loss(outputs, targets);
}
