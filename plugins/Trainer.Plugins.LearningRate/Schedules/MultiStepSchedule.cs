using Trainer.Schedules;

namespace Trainer.Plugins.LearningRate.Schedules;

/// <summary>Multi-step decay: α = α0·γ^(number of milestones ≤ epoch).</summary>
/// <param name="Milestones">Completed-epoch counts after which the rate drops, ascending.</param>
/// <param name="Gamma">γ in (0, 1].</param>
public sealed record MultiStepSchedule(IReadOnlyList<int> Milestones, double Gamma) : ILearningRateSchedule
{
    /// <inheritdoc />
    public double LearningRate(double initial, double epochs) => initial * Math.Pow(Gamma, Milestones.Count(m => m <= epochs));
}
