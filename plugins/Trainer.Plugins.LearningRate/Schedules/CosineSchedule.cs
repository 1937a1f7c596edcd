using Trainer.Schedules;

namespace Trainer.Plugins.LearningRate.Schedules;

/// <summary>
/// Cosine annealing from α0 to a minimum over a period, then held at the minimum:
/// α = min + (α0 − min)·(1 + cos(π·min(epoch, period)/period))/2.
/// </summary>
/// <param name="Period">Epochs of the descent, greater than 0.</param>
/// <param name="MinLearningRate">The floor, at least 0.</param>
public sealed record CosineSchedule(double Period, double MinLearningRate) : ILearningRateSchedule
{
    /// <inheritdoc />
    public double LearningRate(double initial, double epochs) =>
        MinLearningRate + (initial - MinLearningRate) * (1 + Math.Cos(Math.PI * Math.Min(epochs, Period) / Period)) / 2;
}
