namespace Trainer.Runs;

/// <summary>The content of a run's <c>summary.json</c>.</summary>
public sealed record RunSummary
{
    /// <summary>The recipe's name.</summary>
    public required string Recipe { get; init; }

    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>completed, stopped-early, stopped (on request, through the control channel), interrupted or failed.</summary>
    public required string Status { get; init; }

    /// <summary>Epochs that finished (numbered from 1).</summary>
    public int Epochs { get; init; }

    /// <summary>The epoch with the best monitored value (lowest validation loss by default).</summary>
    public int? BestEpoch { get; init; }

    /// <summary>The stop reason code when a callback stopped the run.</summary>
    public string? StopReason { get; init; }

    /// <summary>The stop explanation, for people.</summary>
    public string? StopMessage { get; init; }

    /// <summary>Why the run failed, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// Final metrics (those that exist): test_loss and test_accuracy, val_loss and val_accuracy of the same weights, and
    /// last_val_loss and last_val_accuracy of the last epoch.
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The weights the metrics are of: "last epoch N", "best epoch N by val_loss", "weight average (β = 0.999)".</summary>
    public string? TestedWeights { get; init; }

    /// <summary>The epoch of <see cref="TestedWeights"/>; null for an average of epochs.</summary>
    public int? TestedEpoch { get; init; }

    /// <summary>The training device, e.g. "cpu" or "cuda:0".</summary>
    public string? Device { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Wall-clock seconds of the run.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Mean training throughput, examples per second.</summary>
    public double SamplesPerSecond { get; init; }
}
