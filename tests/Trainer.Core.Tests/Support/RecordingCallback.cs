using Trainer.Callbacks;

namespace Trainer.Tests.Support;

/// <summary>Records every hook call as "Name.Hook" into a shared list.</summary>
public sealed class RecordingCallback(string name, List<string> calls) : TrainingCallback
{
    public override string Name => name;
    public override void OnTrainStart(TrainContext context) => calls.Add($"{name}.TrainStart");
    public override void OnEpochStart(EpochContext context) => calls.Add($"{name}.EpochStart{context.Epoch}");
    public override void OnBatchStart(BatchContext context) => calls.Add($"{name}.BatchStart");
    public override void OnAfterBackward(BatchContext context) => calls.Add($"{name}.AfterBackward");
    public override void OnBatchEnd(BatchContext context) => calls.Add($"{name}.BatchEnd");
    public override void OnValidationEnd(EpochContext context) => calls.Add($"{name}.ValidationEnd{context.Epoch}");
    public override void OnEpochEnd(EpochContext context) => calls.Add($"{name}.EpochEnd{context.Epoch}");
    public override void OnTrainEnd(TrainEndContext context) => calls.Add($"{name}.TrainEnd:{context.Status}");
    public override void OnException(ExceptionContext context) => calls.Add($"{name}.Exception");
}
