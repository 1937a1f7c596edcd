namespace Trainer.Agent.Queue;

/// <summary>One run in the queue, as stored.</summary>
/// <param name="Id">The queue's number for it, increasing with submission.</param>
/// <param name="Submission">What was submitted.</param>
/// <param name="State">Where it is in its life.</param>
/// <param name="SubmittedAt">When it was submitted.</param>
/// <param name="Agent">The agent that claimed it last (null while never claimed).</param>
/// <param name="HeartbeatAt">The claiming agent's last heartbeat.</param>
/// <param name="StartedAt">When an agent first started it.</param>
/// <param name="FinishedAt">When it reached a final state.</param>
/// <param name="RunDirectory">Its run directory, once the agent made one (a resumed run keeps it).</param>
/// <param name="Attempts">How many times an agent claimed it.</param>
/// <param name="CancelRequested">A user asked to cancel it while it ran; the running agent stops it at its next heartbeat.</param>
/// <param name="PeakMemoryBytes">The run's peak resident memory, when finished.</param>
/// <param name="DurationSeconds">Wall time spent running, over all attempts.</param>
/// <param name="ExitCode">The run's exit code (0 completed, 2 bad recipe or data, …), when finished.</param>
/// <param name="Message">Why it failed, was refused or interrupted; null otherwise.</param>
public sealed record QueuedRun(
    long Id,
    QueueSubmission Submission,
    QueuedRunState State,
    DateTimeOffset SubmittedAt,
    string? Agent,
    DateTimeOffset? HeartbeatAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? RunDirectory,
    int Attempts,
    bool CancelRequested,
    long? PeakMemoryBytes,
    double? DurationSeconds,
    int? ExitCode,
    string? Message);
