using Trainer.Serving.Api;

namespace Trainer.Serving.Dashboard;

/// <summary>
/// A run directory's status in the shape of the live server's <c>RunStatus</c>, so one page shows both; values only a
/// live loop knows (step, batch, ETA) are null.
/// </summary>
internal sealed record DashboardRunStatus
{
    public required string RunId { get; init; }

    public required string Recipe { get; init; }

    /// <summary>The summary's status; "running" when the run has no summary yet (still training, or killed).</summary>
    public required string Status { get; init; }

    public int Epoch { get; init; }

    /// <summary>The recipe's Training:Epochs.</summary>
    public int? Epochs { get; init; }

    public long? Step { get; init; }

    public int? StepsPerEpoch { get; init; }

    public int? Batch { get; init; }

    public double? EtaSeconds { get; init; }

    public double? LearningRate { get; init; }

    public double? SamplesPerSecond { get; init; }

    public EpochRow? LastEpoch { get; init; }

    public BestEpoch? Best { get; init; }

    public double PausedSeconds { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The model package's files that exist (<see cref="DashboardModelPackage.Files"/> order); null when the run has no package.</summary>
    public IReadOnlyList<string>? ModelFiles { get; init; }
}
