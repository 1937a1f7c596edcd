using Trainer.Callbacks;
using Trainer.Terminal;

namespace Trainer.Hosting.Tests.Support;

/// <summary>
/// Placed after a <see cref="LiveProgressCallback"/>: after every batch, records the batch's loss and the progress
/// state the callback left, then waits <paramref name="pause"/> so that the callback's timed reads happen mid-run.
/// Internal, so that plugin discovery in this assembly does not take it for a plugin.
/// </summary>
internal sealed class ProgressProbe(LiveProgressState state, TimeSpan pause) : TrainingCallback
{
    public List<(int Epoch, int BatchIndex, double Loss, LiveProgressState.Snapshot Snapshot)> Batches { get; } = [];

    public override void OnBatchEnd(BatchContext context)
    {
        Batches.Add((context.Epoch, context.BatchIndex, context.Loss!.item<float>(), state.Current));
        Thread.Sleep(pause);
    }
}
