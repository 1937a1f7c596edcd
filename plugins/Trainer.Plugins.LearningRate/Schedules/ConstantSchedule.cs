using Trainer.Schedules;

namespace Trainer.Plugins.LearningRate.Schedules;

/// <summary>α = α0 throughout (the base of reduce-on-plateau).</summary>
public sealed record ConstantSchedule : ILearningRateSchedule
{
    /// <inheritdoc />
    public double LearningRate(double initial, double epochs) => initial;
}
