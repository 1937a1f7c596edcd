using Trainer.Schedules;

namespace Trainer.Plugins.LearningRate.Schedules;

/// <summary>
/// One-cycle (Smith): a cosine rise from α0 to the maximum over the first <see cref="PctStart"/> of the run, then a
/// cosine descent to α0 / <see cref="FinalDivFactor"/> at its end.
/// </summary>
/// <param name="Length">Epochs the cycle spans, greater than 0.</param>
/// <param name="MaxLearningRate">The peak rate.</param>
/// <param name="PctStart">Fraction of the cycle spent rising, in (0, 1).</param>
/// <param name="FinalDivFactor">α0 divided by this is the final rate.</param>
/// <param name="Unit">The interval rates are applied at (1 epoch, or 1/steps-per-epoch): the last interval of the cycle gets the final rate.</param>
public sealed record OneCycleSchedule(double Length, double MaxLearningRate, double PctStart, double FinalDivFactor, double Unit = 1) : ILearningRateSchedule
{
    /// <inheritdoc />
    public double LearningRate(double initial, double epochs)
    {
        var rise = PctStart * Length;
        if (epochs < rise)
            return initial + (MaxLearningRate - initial) * (1 - Math.Cos(Math.PI * epochs / rise)) / 2;
        var final = initial / FinalDivFactor;
        var progress = Math.Min(1, (epochs - rise) / Math.Max(Unit, Length - Unit - rise));
        return final + (MaxLearningRate - final) * (1 + Math.Cos(Math.PI * progress)) / 2;
    }
}
