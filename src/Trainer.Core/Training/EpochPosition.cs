using static TorchSharp.torch;

namespace Trainer.Training;

/// <summary>
/// Where the loop stands in the current epoch, with what it accumulates on the device: each step's loss in a buffer
/// (one small copy per step; summed and checked for NaN on the host, a read per check rather than per step) and the
/// count of correct predictions.
/// </summary>
internal sealed class EpochPosition : IDisposable
{
    private readonly int batchSize;
    private readonly long count;

    /// <param name="order">The epoch's shuffled example indices, on the device.</param>
    /// <param name="batches">Training batches in the epoch.</param>
    /// <param name="batchSize">The recipe's batch size.</param>
    /// <param name="device">The training device.</param>
    /// <param name="firstBatch">The first batch this epoch trains here (after a mid-epoch resume, the next one).</param>
    /// <param name="stepBeforeFirstBatch">The run's global step before <paramref name="firstBatch"/>.</param>
    /// <param name="metrics">The task's metric accumulators for the epoch (owned; restored from a checkpoint after a resume).</param>
    public EpochPosition(Tensor order, int batches, int batchSize, Device device, int firstBatch, long stepBeforeFirstBatch, Tasks.TaskMetrics metrics)
    {
        this.batchSize = batchSize;
        count = order.shape[0];
        Order = order;
        StepLosses = zeros(batches, ScalarType.Float64, device);
        Metrics = metrics;
        FirstBatch = NextBatch = CheckedBatch = firstBatch;
        StepBeforeFirstBatch = stepBeforeFirstBatch;
    }

    /// <summary>The epoch's shuffled example indices.</summary>
    public Tensor Order { get; }

    /// <summary>Each trained batch's mean loss, by batch index (zero for batches not trained here).</summary>
    public Tensor StepLosses { get; }

    /// <summary>The task's metrics over the epoch's training batches so far.</summary>
    public Tasks.TaskMetrics Metrics { get; }

    /// <summary>The first batch trained in this process.</summary>
    public int FirstBatch { get; }

    /// <summary>The global step before <see cref="FirstBatch"/>.</summary>
    public long StepBeforeFirstBatch { get; }

    /// <summary>Summed loss (per example) of the batches before <see cref="FirstBatch"/>, from a checkpoint.</summary>
    public double LossSumBefore { get; init; }

    /// <summary>The next batch to train.</summary>
    public int NextBatch { get; set; }

    /// <summary>Batches before this one are known to have finite losses.</summary>
    public int CheckedBatch { get; private set; }

    /// <summary>Examples trained in the epoch, including before a resume.</summary>
    public long Samples { get; set; }

    /// <summary>Training seconds of the epoch before a resume.</summary>
    public double TrainSecondsBefore { get; init; }

    /// <summary>The summed per-example loss of the epoch so far (one host read).</summary>
    public double LossSum(TrainingState state)
    {
        var losses = Read(state, FirstBatch, NextBatch);
        var sum = LossSumBefore;
        for (var i = 0; i < losses.Length; i++) sum += losses[i] * BatchLength(FirstBatch + i);
        return sum;
    }

    /// <summary>
    /// The first step since the last check whose loss was NaN or infinite, or null (one host read of the unchecked
    /// losses; none when there are none).
    /// </summary>
    public long? FirstNonFiniteStep(TrainingState state)
    {
        if (CheckedBatch >= NextBatch) return null;
        var losses = Read(state, CheckedBatch, NextBatch);
        for (var i = 0; i < losses.Length; i++)
            if (!double.IsFinite(losses[i])) return StepBeforeFirstBatch + (CheckedBatch + i - FirstBatch) + 1;
        CheckedBatch = NextBatch;
        return null;
    }

    private double[] Read(TrainingState state, int from, int to)
    {
        if (to <= from) return [];
        state.HostReads++;
        using var slice = StepLosses.narrow(0, from, to - from);
        using var host = slice.cpu();
        return host.data<double>().ToArray();
    }

    private long BatchLength(int batch) => Math.Min(batchSize, count - (long)batch * batchSize);

    public void Dispose()
    {
        Order.Dispose();
        StepLosses.Dispose();
        Metrics.Dispose();
    }
}
