namespace Trainer.Recipes;

/// <summary>Recipe section <c>Optimizer</c>: the update rule and its hyperparameters.</summary>
public sealed class OptimizerOptions
{
    /// <summary>
    /// <c>sgd</c>, <c>momentum</c>, <c>nesterov</c>, <c>rmsprop</c>, <c>adam</c> or <c>adamw</c>. Default: "adam".
    /// </summary>
    public string Kind { get; set; } = "adam";

    /// <summary>Learning rate α, greater than 0. Default: 0.001.</summary>
    public double LearningRate { get; set; } = 0.001;

    /// <summary>Momentum β for <c>momentum</c> and <c>nesterov</c> (PyTorch form v = βv + g), in [0, 1). Default: 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Adam's first-moment decay β1, in [0, 1). Default: 0.9.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>Adam's second-moment decay β2, in [0, 1). Default: 0.999.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>
    /// RMSprop's squared-gradient decay ρ in s = ρ·s + (1 − ρ)·g², in [0, 1): PyTorch's <c>alpha</c> and its default.
    /// Like PyTorch's (and the course's) RMSprop it has no bias correction, so the first step is α/√(1 − ρ): 10α at 0.99,
    /// 32α at 0.999. Default: 0.99.
    /// </summary>
    public double Rho { get; set; } = 0.99;

    /// <summary>ε added to the denominator of RMSprop and Adam, greater than 0. Default: 1e-8.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>
    /// Who performs the step: <c>auto</c> (libtorch's fused kernel for adam, adamw, sgd, momentum and nesterov where the
    /// loaded libtorch has it, else TorchSharp's managed optimizer), <c>fused</c> (the kernel or an error) or <c>managed</c>.
    /// Both give the same updates to rounding and share one state format. Default: "auto".
    /// </summary>
    public string Implementation { get; set; } = "auto";

    /// <summary>L2 weight decay λ (decoupled for <c>adamw</c>), at least 0. Default: 0.</summary>
    public double WeightDecay { get; set; }
}
