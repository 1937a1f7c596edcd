using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>
/// The running state of one metric over one pass. <see cref="Update"/> is called once per batch with device ops only;
/// <see cref="Compute"/> reads the result to the host once; <see cref="SaveState"/> and <see cref="LoadState"/> carry it
/// through a mid-epoch checkpoint, so a resumed epoch reports what the uninterrupted one would have.
/// </summary>
public abstract class MetricAccumulator : IDisposable
{
    /// <summary>
    /// Adds a batch: <paramref name="predictions"/> are the model's outputs (logits; regression values in the target's own
    /// units), <paramref name="targets"/> the task's targets (int64 classes [N]; float32 [N, T] in the target's own units).
    /// Called without gradients.
    /// </summary>
    public abstract void Update(Tensor predictions, Tensor targets);

    /// <summary>The metric over everything added (one read to the host); NaN when nothing was added.</summary>
    public abstract double Compute();

    /// <summary>The state as numbers (one read to the host).</summary>
    public abstract double[] SaveState();

    /// <summary>Restores a state <see cref="SaveState"/> returned.</summary>
    public abstract void LoadState(double[] state);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the accumulator's device tensors.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
