using Trainer.Training;

namespace Trainer.Callbacks;

/// <summary>The context of <see cref="TrainingCallback.OnTrainEnd"/>.</summary>
public sealed class TrainEndContext : CallbackContext
{
    internal TrainEndContext(TrainingState state, RunStatus status) : base(state) => Status = status;

    /// <summary>How training ended: completed, stopped early or interrupted.</summary>
    public RunStatus Status { get; }
}
