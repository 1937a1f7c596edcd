using System.Diagnostics;
using Trainer.Callbacks;
using Trainer.Statistics;
using Trainer.Training;

namespace Trainer.Terminal;

/// <summary>
/// Feeds <see cref="LiveProgressState"/>: epoch and batch counters every batch (host values, no sync), and the
/// smoothed loss (an EWMA kept on the device) read at most every <see cref="ReadInterval"/>, so the display costs
/// a few host syncs per second rather than one per batch.
/// </summary>
public sealed class LiveProgressCallback(LiveProgressState state) : TrainingCallback, IDisposable
{
    /// <summary>The least time between two reads of the smoothed loss.</summary>
    public static readonly TimeSpan ReadInterval = TimeSpan.FromMilliseconds(250);

    private readonly TensorExponentialMovingAverage loss = new(0.98);
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan? lastRead;


    /// <inheritdoc />
    public override void OnTrainStart(TrainContext context) =>
        state.Update(s => s with { Epochs = context.Epochs, Batches = context.StepsPerEpoch, CompletedEpochs = context.History.Count, LearningRate = context.LearningRate });

    /// <inheritdoc />
    public override void OnEpochStart(EpochContext context) =>
        state.Update(s => s with { Epoch = context.Epoch, Batch = 0, Batches = context.StepsPerEpoch, LearningRate = context.LearningRate });

    /// <inheritdoc />
    public override void OnBatchEnd(BatchContext context)
    {
        if (context.Loss is { } batchLoss) loss.Update(batchLoss);
        var batch = context.BatchIndex + 1;
        var now = clock.Elapsed;
        if (lastRead is { } last && now - last < ReadInterval)
        {
            state.Update(s => s with { Batch = batch });
            return;
        }
        lastRead = now;
        var smoothed = loss.ToDouble();
        var rate = context.LearningRate;
        state.Update(s => s with { Batch = batch, SmoothedLoss = smoothed, LearningRate = rate });
    }

    /// <inheritdoc />
    public override void OnEpochEnd(EpochContext context)
    {
        var metrics = context.Metrics;
        state.Update(s => s with
        {
            CompletedEpochs = context.Epoch,
            Batch = s.Batches,
            ValidationLoss = metrics.TryGetValue(MetricNames.ValLoss, out var l) ? l : null,
            ValidationAccuracy = metrics.TryGetValue(MetricNames.ValAccuracy, out var a) ? a : null,
        });
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainEndContext context) => state.Update(s => s with { Finished = true });

    /// <inheritdoc />
    public void Dispose() => loss.Dispose();
}
