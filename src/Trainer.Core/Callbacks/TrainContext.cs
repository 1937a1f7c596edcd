using Trainer.Training;

namespace Trainer.Callbacks;

/// <summary>The context of <see cref="TrainingCallback.OnTrainStart"/>.</summary>
public sealed class TrainContext : CallbackContext
{
    internal TrainContext(TrainingState state) : base(state) { }
}
