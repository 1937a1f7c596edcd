using Trainer.Callbacks;

namespace Trainer.Serving.Tests.Support;

/// <summary>Slows every batch by a few milliseconds, so a run lasts long enough to be steered without many epochs.</summary>
public sealed class PacingCallback(int milliseconds) : TrainingCallback
{
    public override void OnBatchEnd(BatchContext context) => Thread.Sleep(milliseconds);
}
