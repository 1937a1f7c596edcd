namespace Trainer.Serving.Dashboard;

/// <summary>A run of the queue as <c>/api/queue</c> shows it.</summary>
/// <param name="Id">The queue's id (shown as q12).</param>
/// <param name="Name">The run's name.</param>
/// <param name="State">queued, running, interrupted, completed, failed or cancelled.</param>
/// <param name="Priority">Higher runs first.</param>
/// <param name="Overrides">The configuration overrides it was submitted with.</param>
/// <param name="Agent">The agent that claimed it last.</param>
/// <param name="Attempts">How many times an agent claimed it.</param>
/// <param name="SubmittedAt">When it was submitted.</param>
/// <param name="StartedAt">When an agent first started it.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="DurationSeconds">Running time over all attempts (for a first attempt still running, the time since it started).</param>
/// <param name="PeakMemoryBytes">Peak resident memory, once finished.</param>
/// <param name="ExitCode">The run's exit code, once finished.</param>
/// <param name="Message">Why it failed, was cancelled or interrupted.</param>
/// <param name="CancelRequested">A cancel was asked while it ran; its agent stops it at the next heartbeat.</param>
/// <param name="RunId">The id of its run directory in the dashboard's run index (<c>?run=ID</c>), when it lies under the runs folder.</param>
/// <param name="Directory">Its run directory, relative to the runs folder where it lies inside it.</param>
/// <param name="LiveUrl">Its live page (from RUN_DIR/endpoint.json) while it runs and serves.</param>
/// <param name="HasModel">The run directory holds a model package.</param>
/// <param name="HasReport">The run directory holds report.html (<c>/api/runs/{runId}/report</c>).</param>
internal sealed record DashboardQueueEntry(long Id, string Name, string State, int Priority, IReadOnlyList<string> Overrides, string? Agent, int Attempts,
    DateTimeOffset SubmittedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, double? DurationSeconds, long? PeakMemoryBytes, int? ExitCode,
    string? Message, bool CancelRequested, string? RunId, string? Directory, string? LiveUrl, bool HasModel, bool HasReport);
