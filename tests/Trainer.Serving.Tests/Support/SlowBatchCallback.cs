using Trainer.Callbacks;

namespace Trainer.Serving.Tests.Support;

/// <summary>Makes the loop slow on purpose: sleeps <paramref name="seconds"/> after the batch that ends step <paramref name="step"/>, once.</summary>
public sealed class SlowBatchCallback(long step, double seconds) : TrainingCallback
{
    public override void OnBatchEnd(BatchContext context)
    {
        if (context.GlobalStep == step) Thread.Sleep(TimeSpan.FromSeconds(seconds));
    }
}
