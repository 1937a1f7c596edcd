namespace Trainer.Plugins.LearningRate;

/// <summary>The schedules <c>"Type": "LearningRateSchedule"</c> offers (option <c>Schedule</c>).</summary>
public enum ScheduleKind
{
    /// <summary>α0 / (1 + DecayRate·epoch).</summary>
    InverseTime,
    /// <summary>α0·Rate^epoch.</summary>
    Exponential,
    /// <summary>α0·K/√(epoch + 1).</summary>
    InverseSqrt,
    /// <summary>α0·Gamma^⌊epoch/StepSize⌋.</summary>
    Step,
    /// <summary>α0·Gamma^(milestones passed).</summary>
    MultiStep,
    /// <summary>Cosine annealing to MinLearningRate over Period epochs.</summary>
    Cosine,
    /// <summary>Rise to MaxLearningRate, then anneal to α0/FinalDivFactor.</summary>
    OneCycle,
    /// <summary>Multiply by Factor when Monitor stalls for more than Patience epochs.</summary>
    ReduceOnPlateau,
}
