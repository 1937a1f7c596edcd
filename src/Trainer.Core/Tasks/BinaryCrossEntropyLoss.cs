using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary><c>bce</c>: binary cross-entropy of logits (a numerically stable sigmoid and log), averaged over every output.</summary>
public sealed class BinaryCrossEntropyLoss : ILoss
{
    /// <inheritdoc />
    public string Name => "bce";

    /// <inheritdoc />
    public bool Supports(TaskKind kind) => kind is TaskKind.Binary or TaskKind.Multilabel;

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor targets) => nn.functional.binary_cross_entropy_with_logits(outputs, targets);
}
