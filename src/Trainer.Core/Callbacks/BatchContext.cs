using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Callbacks;

/// <summary>
/// The context of the per-batch hooks. One instance is reused for every batch and its tensors are disposed when the
/// step ends: read what you need during the hook, and avoid host syncs (<c>item()</c>) on every batch.
/// </summary>
public sealed class BatchContext : CallbackContext
{
    internal BatchContext(TrainingState state) : base(state) { }

    /// <summary>Index of the batch within the epoch, from 0.</summary>
    public int BatchIndex { get; internal set; }

    /// <summary>Number of batches in the epoch.</summary>
    public int BatchCount { get; internal set; }

    /// <summary>The batch's inputs, on the training device.</summary>
    public Tensor Inputs { get; internal set; } = null!;

    /// <summary>Examples in this batch: the recipe's batch size, or fewer in an epoch's last batch.</summary>
    public long BatchSize { get; internal set; }

    /// <summary>The batch's class labels, on the training device.</summary>
    public Tensor Targets { get; internal set; } = null!;

    /// <summary>The model's logits; null in <see cref="TrainingCallback.OnBatchStart"/>.</summary>
    public Tensor? Logits { get; internal set; }

    /// <summary>The batch's mean loss (a scalar tensor on the device); null in <see cref="TrainingCallback.OnBatchStart"/>.</summary>
    public Tensor? Loss { get; internal set; }

    /// <summary>How many of the batch's examples the model classified correctly (an int64 scalar on the device); set in <see cref="TrainingCallback.OnBatchEnd"/> only.</summary>
    public Tensor? Correct { get; internal set; }
}
