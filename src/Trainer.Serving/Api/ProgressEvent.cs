namespace Trainer.Serving.Api;

/// <summary>The "progress" event: where the loop is, at most about four times a second.</summary>
/// <param name="Epoch">The current epoch.</param>
/// <param name="Batch">Batches finished in the epoch.</param>
/// <param name="Batches">Batches in an epoch.</param>
/// <param name="Step">Optimizer steps taken in the run.</param>
public sealed record ProgressEvent(int Epoch, int Batch, int Batches, long Step);
