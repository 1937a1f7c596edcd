namespace Trainer.Control;

/// <summary>Where the loop is, as it last published: read without locks from any thread.</summary>
/// <param name="Epoch">The current epoch (from 1); 0 before training starts.</param>
/// <param name="Batch">Batches finished in the current epoch.</param>
/// <param name="Step">Optimizer steps taken in the run.</param>
/// <param name="SecondsSinceProgress">Seconds since the loop last moved (a batch finished or training started).</param>
/// <param name="Paused">True while the loop waits in a pause.</param>
/// <param name="PausedSeconds">Seconds spent paused in this process so far.</param>
/// <param name="Ended">True once the loop has returned.</param>
public readonly record struct TrainingProgress(int Epoch, int Batch, long Step, double SecondsSinceProgress, bool Paused, double PausedSeconds, bool Ended);
