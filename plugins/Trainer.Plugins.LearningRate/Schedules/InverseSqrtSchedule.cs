using Trainer.Schedules;

namespace Trainer.Plugins.LearningRate.Schedules;

/// <summary>
/// The course's α = α0·k/√epoch_num with epoch_num counted from 1 (the epoch being trained), so that the first
/// epoch trains at α0·k and no epoch divides by zero: α = α0·k/√(epoch + 1) in completed epochs.
/// </summary>
/// <param name="K">k &gt; 0.</param>
public sealed record InverseSqrtSchedule(double K) : ILearningRateSchedule
{
    /// <inheritdoc />
    public double LearningRate(double initial, double epochs) => initial * K / Math.Sqrt(epochs + 1);
}
