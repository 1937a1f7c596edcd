using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary><c>mse</c>: the mean of the squared errors over every output of the batch.</summary>
public sealed class MeanSquaredErrorLoss : ILoss
{
    /// <inheritdoc />
    public string Name => "mse";

    /// <inheritdoc />
    public bool Supports(TaskKind kind) => kind == TaskKind.Regression;

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor targets) => nn.functional.mse_loss(outputs, targets);
}
