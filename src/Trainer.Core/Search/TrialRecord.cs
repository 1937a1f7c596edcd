namespace Trainer.Search;

/// <summary>A trial as the study store keeps it.</summary>
/// <param name="Number">Its number in the study, from 0, unique across workers.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Parameters">The sampled values by configuration path (as configuration strings).</param>
/// <param name="Point">The sample's position in the unit hypercube of the space (for samplers).</param>
/// <param name="Value">The objective value, once complete or pruned.</param>
/// <param name="RunDirectory">The trial's own run directory.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Failure">Why it failed.</param>
/// <param name="Worker">The worker that trains or trained it, "host:process-id".</param>
/// <param name="Values">
/// Every objective's value in a multi-objective study, in the order of <c>Search:Objectives</c> (<see cref="Value"/> is the
/// first); null in single-objective studies and before the trial completes.
/// </param>
/// <param name="LastEpoch">The last epoch it reported an objective value for (to the pruner), or null when it reported none.</param>
public sealed record TrialRecord(int Number, TrialState State, IReadOnlyDictionary<string, string> Parameters, double[] Point,
    double? Value, string? RunDirectory, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Failure, string Worker = "", double[]? Values = null,
    int? LastEpoch = null)
{
    /// <summary>Seconds from start to end, or null while running.</summary>
    public double? DurationSeconds => EndedAt is { } end ? (end - StartedAt).TotalSeconds : null;
}
