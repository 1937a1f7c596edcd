using Trainer.Schedules;

namespace Trainer.Plugins.LearningRate.Schedules;

/// <summary>Inverse-time decay: α = α0 / (1 + decayRate·epoch).</summary>
/// <param name="DecayRate">k ≥ 0.</param>
public sealed record InverseTimeSchedule(double DecayRate) : ILearningRateSchedule
{
    /// <inheritdoc />
    public double LearningRate(double initial, double epochs) => initial / (1 + DecayRate * epochs);
}
