namespace Trainer.Checkpoints;

/// <summary>Where an unfinished epoch stood: its data order, the next batch, and its running sums.</summary>
/// <param name="Order">The epoch's permutation of the training examples.</param>
/// <param name="NextBatch">The index of the first batch not yet trained.</param>
/// <param name="LossSum">Σ batch loss × batch size so far.</param>
/// <param name="Correct">Correct predictions so far (classification; 0 otherwise).</param>
/// <param name="Samples">Examples trained so far.</param>
/// <param name="TrainSeconds">Training seconds of the epoch so far.</param>
public sealed record PartialEpoch(long[] Order, int NextBatch, double LossSum, long Correct, long Samples, double TrainSeconds)
{
    /// <summary>The state of every metric accumulator over the batches trained so far, by metric name; null in older checkpoints.</summary>
    public IReadOnlyDictionary<string, double[]>? Metrics { get; init; }
}
