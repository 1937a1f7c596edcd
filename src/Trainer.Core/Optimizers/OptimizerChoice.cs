namespace Trainer.Optimizers;

/// <summary>Which implementation a run's optimizer uses and why (logged when training starts).</summary>
/// <param name="Implementation"><see cref="OptimizerImplementation.Fused"/> or <see cref="OptimizerImplementation.Managed"/>.</param>
/// <param name="Reason">One sentence, e.g. "libtorch's _fused_adam_ kernel" or why the fused one is not used.</param>
public sealed record OptimizerChoice(OptimizerImplementation Implementation, string Reason);
