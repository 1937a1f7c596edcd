using Trainer.Schedules;

namespace Trainer.Plugins.LearningRate.Schedules;

/// <summary>Staircase decay: α = α0·γ^⌊epoch / stepSize⌋.</summary>
/// <param name="StepSize">Epochs per stair, at least 1.</param>
/// <param name="Gamma">γ in (0, 1].</param>
public sealed record StepSchedule(int StepSize, double Gamma) : ILearningRateSchedule
{
    /// <inheritdoc />
    public double LearningRate(double initial, double epochs) => initial * Math.Pow(Gamma, Math.Floor(epochs / StepSize));
}
