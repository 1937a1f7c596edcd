using Trainer.Callbacks;

namespace Trainer.Plugins.Tests.Support;

/// <summary>Disposes another callback at the end of a given epoch, in the middle of training.</summary>
public sealed class DisposeAfterEpoch(IDisposable target, int epoch) : TrainingCallback
{
    public override void OnEpochEnd(EpochContext context)
    {
        if (context.Epoch == epoch) target.Dispose();
    }
}
