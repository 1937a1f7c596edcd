using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Optimizers;

/// <summary>
/// Builds the recipe's optimizer over a fixed array of parameters (TorchSharp re-walks a lazy sequence on every
/// step). Update rules are PyTorch's: momentum is v = βv + g (the course's (1−β) factor folded into α),
/// RMSprop's squared-gradient decay is <see cref="OptimizerOptions.Rho"/> (no bias correction), Adam applies bias correction, weight
/// decay is coupled L2 except for <c>adamw</c>. Adam, AdamW and the SGD family run on libtorch's fused kernels where
/// <see cref="OptimizerOptions.Implementation"/> allows it (see <see cref="Choose"/>); the results agree with the
/// managed optimizers to rounding, and both keep their state in the same objects.
/// </summary>
public static class OptimizerFactory
{
    /// <summary>Creates the optimizer named by <see cref="OptimizerOptions.Kind"/>, on the path <see cref="Choose"/> picks.</summary>
    /// <param name="o">The recipe's optimizer section.</param>
    /// <param name="parameters">The parameters to train.</param>
    /// <param name="kernels">The fused kernels to use; default <see cref="FusedKernels.Default"/>.</param>
    /// <exception cref="RecipeException">Fused was asked for and is not available.</exception>
    public static optim.Optimizer Create(Trainer.Recipes.OptimizerOptions o, IEnumerable<Parameter> parameters, FusedKernels? kernels = null)
    {
        var ps = parameters.ToArray();
        if (Choose(o, kernels).Implementation == OptimizerImplementation.Fused)
        {
            kernels ??= FusedKernels.Default;
            return o.Kind.ToLowerInvariant() switch
            {
                "sgd" => new FusedSgd(ps, kernels, o.LearningRate, weight_decay: o.WeightDecay),
                "momentum" => new FusedSgd(ps, kernels, o.LearningRate, o.Momentum, o.WeightDecay),
                "nesterov" => new FusedSgd(ps, kernels, o.LearningRate, o.Momentum, o.WeightDecay, nesterov: true),
                "adam" => new FusedAdam(ps, kernels, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay),
                _ => new FusedAdamW(ps, kernels, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay),
            };
        }
        return o.Kind.ToLowerInvariant() switch
        {
            "sgd" => optim.SGD(ps, o.LearningRate, weight_decay: o.WeightDecay),
            "momentum" => optim.SGD(ps, o.LearningRate, momentum: o.Momentum, weight_decay: o.WeightDecay),
            "nesterov" => optim.SGD(ps, o.LearningRate, momentum: o.Momentum, weight_decay: o.WeightDecay, nesterov: true),
            "rmsprop" => optim.RMSProp(ps, o.LearningRate, alpha: o.Rho, eps: o.Epsilon, weight_decay: o.WeightDecay),
            "adam" => optim.Adam(ps, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay),
            "adamw" => optim.AdamW(ps, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay),
            var other => throw new RecipeException($"Optimizer:Kind '{other}' is not supported; use one of: {string.Join(", ", RecipeValidator.OptimizerKinds)}."),
        };
    }

    /// <summary>
    /// Picks the implementation: <c>managed</c> when asked for or when the loaded libtorch lacks the kind's fused kernel
    /// (RMSprop has none), <c>fused</c> otherwise. Asking for <c>fused</c> where it is missing is an error.
    /// </summary>
    /// <exception cref="RecipeException">Fused was asked for and is not available.</exception>
    public static OptimizerChoice Choose(Trainer.Recipes.OptimizerOptions o, FusedKernels? kernels = null)
    {
        if (!Enum.TryParse<OptimizerImplementation>(o.Implementation, ignoreCase: true, out var wanted) || !Enum.IsDefined(wanted))
            throw new RecipeException($"Optimizer:Implementation '{o.Implementation}' is not one of: auto, fused, managed.");
        if (wanted == OptimizerImplementation.Managed)
            return new OptimizerChoice(OptimizerImplementation.Managed, "Optimizer:Implementation is managed");
        kernels ??= FusedKernels.Default;
        var kind = o.Kind.ToLowerInvariant();
        var (kernel, present) = kind switch
        {
            "adam" => ("_fused_adam_", kernels.HasAdam),
            "adamw" => ("_fused_adamw_", kernels.HasAdamW),
            "sgd" or "momentum" or "nesterov" => ("_fused_sgd_", kernels.HasSgd),
            _ => ((string?)null, false),
        };
        if (present) return new OptimizerChoice(OptimizerImplementation.Fused, $"libtorch's {kernel} kernel from {kernels.Library}");
        var why = kernel is null ? $"libtorch has no fused kernel for {o.Kind}" : $"{kernel} is not available: {kernels.Reason}";
        if (wanted == OptimizerImplementation.Fused)
            throw new RecipeException($"Optimizer:Implementation is fused, but {why}; use auto or managed.");
        return new OptimizerChoice(OptimizerImplementation.Managed, why);
    }

    /// <summary>The learning rate of the first parameter group.</summary>
    public static double GetLearningRate(optim.Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;

    /// <summary>Sets the learning rate of every parameter group.</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }
}
