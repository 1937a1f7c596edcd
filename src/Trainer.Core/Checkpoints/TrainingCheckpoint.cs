using Trainer.Training;

namespace Trainer.Checkpoints;

/// <summary>
/// Everything needed to continue a run exactly where it stopped: model parameters and buffers, optimizer state,
/// RNG states, the data-order position (mid-epoch included), the history, every stateful callback's state, and the
/// resolved recipe it belongs to.
/// </summary>
public sealed class TrainingCheckpoint
{
    /// <summary>Epochs finished and recorded.</summary>
    public required int CompletedEpochs { get; init; }

    /// <summary>Optimizer steps taken.</summary>
    public required long GlobalStep { get; init; }

    /// <summary>Why it was written: "epoch", "time", "best", "final" or "interrupt".</summary>
    public required string Reason { get; init; }

    /// <summary>When it was written (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The metrics of every finished epoch.</summary>
    public required IReadOnlyList<EpochMetrics> History { get; init; }

    /// <summary>The best epoch reported by a callback, if any.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>A stop request made before the checkpoint, so a resumed run ends as the original would have.</summary>
    public Callbacks.StopRequest? StopRequest { get; init; }

    /// <summary>The unfinished epoch, when written mid-epoch; null at an epoch boundary.</summary>
    public PartialEpoch? Partial { get; init; }

    /// <summary>State of every <see cref="Callbacks.IStatefulCallback"/> by its state key, as JSON.</summary>
    public required IReadOnlyDictionary<string, string> CallbackStates { get; init; }

    /// <summary>
    /// The learning rate when it was written, restored on resume (it may differ from the recipe's after a control command);
    /// null in checkpoints written before it was recorded.
    /// </summary>
    public double? LearningRate { get; init; }

    /// <summary>α0 of the schedules when it was written (see <see cref="Callbacks.CallbackContext.BaseLearningRate"/>); null in older checkpoints.</summary>
    public double? BaseLearningRate { get; init; }

    /// <summary>The resolved recipe JSON of the run (for the resume comparison); may be empty.</summary>
    public string RecipeJson { get; init; } = "";

    /// <summary>The model's parameters and buffers (TorchSharp's format).</summary>
    public required ReadOnlyMemory<byte> Model { get; init; }

    /// <summary>The optimizer's state: moments, step counts, learning rates (TorchSharp's format).</summary>
    public required ReadOnlyMemory<byte> Optimizer { get; init; }

    /// <summary>TorchSharp's global CPU generator state (initialisation, dropout).</summary>
    public required ReadOnlyMemory<byte> TorchRandomState { get; init; }

    /// <summary>The state of the generator that shuffles the training data.</summary>
    public required ReadOnlyMemory<byte> ShuffleState { get; init; }
}
