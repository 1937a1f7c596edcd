using Trainer.Training;

namespace Trainer.Callbacks;

/// <summary>The context of <see cref="TrainingCallback.OnTrainEnd"/>.</summary>
public sealed class TrainEndContext : CallbackContext
{
    internal TrainEndContext(TrainingState state, RunStatus status) : base(state) => Status = status;

    /// <summary>How training ended: completed, stopped early or interrupted.</summary>
    public RunStatus Status { get; }

    /// <summary>
    /// Says that the model now holds other weights than the last epoch's (call it where they are loaded, e.g. in an
    /// <see cref="CallbackContext.AfterHook"/> action): the test split and the final validation metrics are evaluated on
    /// them, and summary.json names them. The last call wins, as the last weights loaded are the ones tested.
    /// </summary>
    /// <param name="description">What they are, e.g. "best epoch 12 by val_loss" or "weight average (β = 0.999)".</param>
    /// <param name="epoch">The epoch they come from, or null when they come from no single epoch (an average).</param>
    public void ReportTestedWeights(string description, int? epoch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        State.TestedWeights = (description, epoch);
    }
}
