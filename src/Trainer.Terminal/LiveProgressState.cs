namespace Trainer.Terminal;

/// <summary>Where a run stands, written by <see cref="LiveProgressCallback"/> on the training thread and read by the display.</summary>
public sealed class LiveProgressState
{
    private readonly Lock gate = new();
    private Snapshot current = new(0, 0, 0, 0, 0, double.NaN, double.NaN, null, null, false);

    /// <summary>An immutable view of the state.</summary>
    /// <param name="Epoch">The epoch under way (1-based; 0 before the first).</param>
    /// <param name="Epochs">The recipe's epochs.</param>
    /// <param name="Batch">Batches finished in the current epoch.</param>
    /// <param name="Batches">Batches per epoch.</param>
    /// <param name="CompletedEpochs">Epochs finished.</param>
    /// <param name="SmoothedLoss">The bias-corrected EWMA of the training loss, as last read (NaN before the first read).</param>
    /// <param name="LearningRate">The current learning rate.</param>
    /// <param name="ValidationLoss">The last epoch's validation loss.</param>
    /// <param name="ValidationAccuracy">The last epoch's validation accuracy.</param>
    /// <param name="Finished">Whether training ended.</param>
    public sealed record Snapshot(int Epoch, int Epochs, int Batch, int Batches, int CompletedEpochs, double SmoothedLoss,
        double LearningRate, double? ValidationLoss, double? ValidationAccuracy, bool Finished);

    /// <summary>The latest snapshot.</summary>
    public Snapshot Current
    {
        get { lock (gate) return current; }
    }

    /// <summary>Replaces the snapshot with <paramref name="change"/> applied to it.</summary>
    public void Update(Func<Snapshot, Snapshot> change)
    {
        lock (gate) current = change(current);
    }
}
