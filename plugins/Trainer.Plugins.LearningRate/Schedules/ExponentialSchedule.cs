using Trainer.Schedules;

namespace Trainer.Plugins.LearningRate.Schedules;

/// <summary>Exponential decay: α = α0·r^epoch.</summary>
/// <param name="Rate">r in (0, 1], e.g. 0.95.</param>
public sealed record ExponentialSchedule(double Rate) : ILearningRateSchedule
{
    /// <inheritdoc />
    public double LearningRate(double initial, double epochs) => initial * Math.Pow(Rate, epochs);
}
