namespace Trainer.Plugins.LearningRate;

/// <summary>Default option values of <see cref="LearningRateScheduleCallback"/>.</summary>
public static class LearningRateScheduleDefaults
{
    /// <summary>Inverse-time decay rate k.</summary>
    public const double DecayRate = 1.0;
    /// <summary>Exponential rate r.</summary>
    public const double Rate = 0.95;
    /// <summary>Inverse-square-root constant k.</summary>
    public const double K = 1.0;
    /// <summary>Decay factor γ of Step and MultiStep.</summary>
    public const double Gamma = 0.1;
    /// <summary>Epochs per stair of Step.</summary>
    public const int StepSize = 10;
    /// <summary>One-cycle rise fraction.</summary>
    public const double PctStart = 0.3;
    /// <summary>One-cycle final division.</summary>
    public const double FinalDivFactor = 1e4;
    /// <summary>Reduce-on-plateau multiplier.</summary>
    public const double Factor = 0.1;
    /// <summary>Reduce-on-plateau patience.</summary>
    public const int Patience = 10;
    /// <summary>Reduce-on-plateau monitored metric.</summary>
    public const string Monitor = "val_loss";
}
