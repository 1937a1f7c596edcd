using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary><c>cross-entropy</c>: softmax cross-entropy of class logits, with optional label smoothing ε.</summary>
/// <param name="labelSmoothing">ε in [0, 1): the target puts 1 − ε on the class and ε spread evenly over all classes.</param>
public sealed class CrossEntropyLoss(double labelSmoothing = 0) : ILoss
{
    /// <inheritdoc />
    public string Name => "cross-entropy";

    /// <inheritdoc />
    public bool Supports(TaskKind kind) => kind == TaskKind.Classification;

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor targets) => nn.functional.cross_entropy(outputs, targets, label_smoothing: labelSmoothing);
}
