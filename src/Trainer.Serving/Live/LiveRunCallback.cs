using Trainer.Callbacks;

namespace Trainer.Serving.Live;

/// <summary>Feeds the live run's status from the loop's hooks: once at the start, once per epoch, once at the end.</summary>
internal sealed class LiveRunCallback(LiveRun live) : TrainingCallback
{

    public override void OnTrainStart(TrainContext context) =>
        live.Started(context.Epochs, context.StepsPerEpoch, context.History, context.LearningRate);

    // Listed after the recipe's callbacks, so a schedule has already set this epoch's rate.
    public override void OnEpochStart(EpochContext context) => live.EpochStarted(context.LearningRate);

    public override void OnEpochEnd(EpochContext context) => live.EpochEnded(context.History[^1]);

    public override void OnTrainEnd(TrainEndContext context) => live.Ended(ReasonCode.From(context.Status));

    public override void OnException(ExceptionContext context) => live.Ended("failed");
}
