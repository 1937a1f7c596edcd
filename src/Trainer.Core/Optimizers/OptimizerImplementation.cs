namespace Trainer.Optimizers;

/// <summary>Which code performs the optimizer step (recipe key <c>Optimizer:Implementation</c>).</summary>
public enum OptimizerImplementation
{
    /// <summary>libtorch's fused kernel where the loaded libtorch provides one for the optimizer, else the managed one.</summary>
    Auto,

    /// <summary>libtorch's fused kernel; the run does not start where it is missing.</summary>
    Fused,

    /// <summary>TorchSharp's managed optimizer, one parameter at a time.</summary>
    Managed,
}
