using Trainer.Callbacks;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>Throws in OnBatchEnd of the given global step.</summary>
internal sealed class ThrowingCallback(long atStep) : TrainingCallback
{
    public override void OnBatchEnd(BatchContext context)
    {
        if (context.GlobalStep == atStep) throw new InvalidOperationException("boom");
    }
}
