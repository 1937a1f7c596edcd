namespace Trainer.Serving.Api;

/// <summary>A live run's status (<c>GET /api/run</c>, the "status" event).</summary>
public sealed record LiveRunStatus
{
    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>The recipe's name.</summary>
    public required string Recipe { get; init; }

    /// <summary>starting, running, paused, completed, stopped-early, stopped, failed or interrupted.</summary>
    public required string Status { get; init; }

    /// <summary>The current epoch (from 1); 0 before training starts.</summary>
    public int Epoch { get; init; }

    /// <summary>The epochs the recipe asks for.</summary>
    public int Epochs { get; init; }

    /// <summary>Optimizer steps taken in the run.</summary>
    public long Step { get; init; }

    /// <summary>Optimizer steps in one epoch.</summary>
    public int StepsPerEpoch { get; init; }

    /// <summary>Batches finished in the current epoch.</summary>
    public int Batch { get; init; }

    /// <summary>Seconds to the last epoch's end at the mean epoch time so far; null before the first epoch ends.</summary>
    public double? EtaSeconds { get; init; }

    /// <summary>The learning rate at the start of the epoch or after the last control command; null before training starts.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Training examples per second in the last epoch; null before the first.</summary>
    public double? SamplesPerSecond { get; init; }

    /// <summary>The last finished epoch; null before the first.</summary>
    public EpochRow? LastEpoch { get; init; }

    /// <summary>The best epoch so far; null before the first.</summary>
    public BestEpoch? Best { get; init; }

    /// <summary>Seconds spent paused in this process.</summary>
    public double PausedSeconds { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }
}
