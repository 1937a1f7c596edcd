using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>
/// A training loss (<c>Task:Loss</c>). A plugin loss is a public class with a constructor taking nothing or one options
/// object (bound from <c>Task:LossOptions</c>), named by <see cref="LossNameAttribute"/> or its class name less "Loss".
/// </summary>
public interface ILoss
{
    /// <summary>The name recipes use.</summary>
    string Name { get; }

    /// <summary>Whether the loss suits <paramref name="kind"/>'s outputs and targets.</summary>
    bool Supports(TaskKind kind);

    /// <summary>
    /// The mean loss of a batch as a scalar tensor with a gradient: <paramref name="outputs"/> are the model's outputs
    /// (logits, or standardised values for regression), <paramref name="targets"/> as the task holds them (int64 classes
    /// [N]; float32 [N, T] otherwise). Device ops only: no read to the host.
    /// </summary>
    Tensor Compute(Tensor outputs, Tensor targets);
}
