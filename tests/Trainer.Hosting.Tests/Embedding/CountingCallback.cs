using Trainer.Callbacks;

namespace Trainer.Hosting.Tests.Embedding;

/// <summary>A callback built by dependency injection: it records finished epochs in an application service.</summary>
internal sealed class CountingCallback(EpochCounter counter) : TrainingCallback
{
    public override void OnEpochEnd(EpochContext context) => counter.Epochs.Add(context.Epoch);
}
