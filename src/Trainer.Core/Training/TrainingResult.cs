using Trainer.Callbacks;

namespace Trainer.Training;

/// <summary>What a training run produced.</summary>
public sealed class TrainingResult
{
    /// <summary>How the run ended.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Epochs that finished.</summary>
    public required int EpochsCompleted { get; init; }

    /// <summary>The epoch with the lowest validation loss (training loss without a validation split); null before any epoch.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>The stop request that ended the run early, if any.</summary>
    public StopRequest? StopRequest { get; init; }

    /// <summary>Why the run failed, for people; null unless <see cref="Status"/> is failed.</summary>
    public string? FailureMessage { get; init; }

    /// <summary>The exception that failed the run, if one did.</summary>
    public Exception? Exception { get; init; }

    /// <summary>The metrics of every finished epoch.</summary>
    public required IReadOnlyList<EpochMetrics> History { get; init; }

    /// <summary>
    /// Final metrics: test_loss and test_accuracy after training, val_loss and val_accuracy of the same weights (see
    /// <see cref="TestedWeights"/>), and last_val_loss and last_val_accuracy of the last epoch.
    /// </summary>
    public required IReadOnlyDictionary<string, double> FinalMetrics { get; init; }

    /// <summary>The weights the final metrics are of: "last epoch N", or what a callback loaded (a restored best epoch, an average).</summary>
    public string? TestedWeights { get; init; }

    /// <summary>The epoch of <see cref="TestedWeights"/>; null for weights of no single epoch (an average) or before any epoch.</summary>
    public int? TestedEpoch { get; init; }

    /// <summary>Mean training throughput over the run, examples per second.</summary>
    public double SamplesPerSecond { get; init; }

    /// <summary>Wall-clock seconds of the whole run (set-up, training, test).</summary>
    public double DurationSeconds { get; init; }

    /// <summary>
    /// True when the run was to resume from a checkpoint that could not be restored: it trained nothing and wrote
    /// nothing, so the run directory's earlier files (summary, metrics, plots) are still the run's own.
    /// </summary>
    public bool ResumeFailed { get; init; }

    /// <summary>
    /// How often the loop read device values to the host (epoch loss and accuracy, NaN checks every
    /// <c>Training:NonFiniteCheckEvery</c> steps, checkpoints): a few per epoch, never one per batch. Callbacks' own
    /// reads are not counted.
    /// </summary>
    public long HostReads { get; init; }
}
