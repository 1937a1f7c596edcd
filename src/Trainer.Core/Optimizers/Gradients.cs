using TorchSharp;
using TorchSharp.Modules;

namespace Trainer.Optimizers;

/// <summary>Gradient housekeeping for the training step.</summary>
public static class Gradients
{
    // Made once. TorchSharp's Optimizer.zero_grad() and Tensor.zero_() make a native Scalar per parameter and call that
    // only the finalizer frees: every training step would leave objects for the finalizer thread, promoted by each
    // young-generation collection, and freed beside libtorch's threads.
    private static readonly Scalar Zero = 0;

    /// <summary>Sets every defined gradient of <paramref name="parameters"/> to zero in place (as zero_grad).</summary>
    public static void ZeroGradients(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        for (var i = 0; i < parameters.Count; i++)
        {
            using var grad = parameters[i].grad;
            if (grad is null) continue;
            grad.fill_(Zero).Dispose();
        }
    }
}
