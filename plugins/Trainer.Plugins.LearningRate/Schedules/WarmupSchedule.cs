using Trainer.Schedules;

namespace Trainer.Plugins.LearningRate.Schedules;

/// <summary>
/// Linear warm-up in front of another schedule: during the first <see cref="Epochs"/> epochs the rate rises linearly
/// to the inner schedule's starting rate, reaching it in the last warm-up interval
/// (α = inner(0)·(t + unit)/W); after that the inner schedule runs from its own start (α = inner(t − W)).
/// </summary>
/// <param name="Inner">The schedule that follows.</param>
/// <param name="Epochs">W, warm-up epochs, greater than 0.</param>
/// <param name="Unit">The interval at which warm-up rates are applied: 1/steps-per-epoch (the callback ramps every step), or 1 epoch.</param>
public sealed record WarmupSchedule(ILearningRateSchedule Inner, double Epochs, double Unit) : ILearningRateSchedule
{
    /// <inheritdoc />
    public double LearningRate(double initial, double epochs) => epochs < Epochs
        ? Inner.LearningRate(initial, 0) * Math.Min(1, (epochs + Unit) / Epochs)
        : Inner.LearningRate(initial, epochs - Epochs);
}
