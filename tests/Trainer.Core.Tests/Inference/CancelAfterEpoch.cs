using Trainer.Callbacks;

namespace Trainer.Core.Tests.Inference;

/// <summary>Cancels the run's token once epoch <c>epoch</c> has ended, as a shutdown during the next epoch would.</summary>
internal sealed class CancelAfterEpoch(CancellationTokenSource cancel, int epoch) : TrainingCallback
{
    public override void OnEpochEnd(EpochContext context)
    {
        if (context.Epoch >= epoch) cancel.Cancel();
    }
}
