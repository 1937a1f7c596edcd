using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Optimizers;

/// <summary>
/// Builds the recipe's optimizer over a fixed array of parameters (TorchSharp re-walks a lazy sequence on every
/// step). Update rules are PyTorch's: momentum is v = βv + g (the course's (1−β) factor folded into α),
/// RMSprop's squared-gradient decay is <see cref="OptimizerOptions.Beta2"/>, Adam applies bias correction, weight
/// decay is coupled L2 except for <c>adamw</c>.
/// </summary>
public static class OptimizerFactory
{
    /// <summary>Creates the optimizer named by <see cref="OptimizerOptions.Kind"/>.</summary>
    public static optim.Optimizer Create(Trainer.Recipes.OptimizerOptions o, IEnumerable<Parameter> parameters)
    {
        var ps = parameters.ToArray();
        return o.Kind.ToLowerInvariant() switch
        {
            "sgd" => optim.SGD(ps, o.LearningRate, weight_decay: o.WeightDecay),
            "momentum" => optim.SGD(ps, o.LearningRate, momentum: o.Momentum, weight_decay: o.WeightDecay),
            "nesterov" => optim.SGD(ps, o.LearningRate, momentum: o.Momentum, weight_decay: o.WeightDecay, nesterov: true),
            "rmsprop" => optim.RMSProp(ps, o.LearningRate, alpha: o.Beta2, eps: o.Epsilon, weight_decay: o.WeightDecay),
            "adam" => optim.Adam(ps, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay),
            "adamw" => optim.AdamW(ps, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay),
            var other => throw new RecipeException($"Optimizer:Kind '{other}' is not supported; use one of: {string.Join(", ", RecipeValidator.OptimizerKinds)}."),
        };
    }

    /// <summary>The learning rate of the first parameter group.</summary>
    public static double GetLearningRate(optim.Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;

    /// <summary>Sets the learning rate of every parameter group.</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }
}
