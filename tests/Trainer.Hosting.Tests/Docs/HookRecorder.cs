using Trainer.Callbacks;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>Records the name of every hook call, in order.</summary>
internal sealed class HookRecorder : TrainingCallback
{
    public List<string> Hooks { get; } = [];

    public override void OnTrainStart(TrainContext context) => Hooks.Add(nameof(OnTrainStart));
    public override void OnEpochStart(EpochContext context) => Hooks.Add(nameof(OnEpochStart));
    public override void OnBatchStart(BatchContext context) => Hooks.Add(nameof(OnBatchStart));
    public override void OnAfterBackward(BatchContext context) => Hooks.Add(nameof(OnAfterBackward));
    public override void OnBatchEnd(BatchContext context) => Hooks.Add(nameof(OnBatchEnd));
    public override void OnValidationEnd(EpochContext context) => Hooks.Add(nameof(OnValidationEnd));
    public override void OnEpochEnd(EpochContext context) => Hooks.Add(nameof(OnEpochEnd));
    public override void OnTrainEnd(TrainEndContext context) => Hooks.Add(nameof(OnTrainEnd));
    public override void OnException(ExceptionContext context) => Hooks.Add(nameof(OnException));
}
