using Trainer.Schedules;

namespace Example.Extensions;

/// <summary>
/// Cosine annealing with warm restarts (Loshchilov and Hutter's SGDR): within each cycle of <c>CycleEpochs</c> the rate
/// falls from α0 to <c>MinFraction</c>·α0 along half a cosine, then jumps back to α0.
/// α(e) = αmin + (α0 − αmin)·(1 + cos(π·(e mod C)/C))/2.
/// </summary>
[ScheduleName("WarmRestarts")]
public sealed class WarmRestartsSchedule(WarmRestartsOptions options) : ILearningRateSchedule
{
    /// <inheritdoc />
    public double LearningRate(double initial, double epochs)
    {
        var minimum = initial * options.MinFraction;
        var position = epochs % options.CycleEpochs / options.CycleEpochs;
        return minimum + (initial - minimum) * (1 + Math.Cos(Math.PI * position)) / 2;
    }
}
