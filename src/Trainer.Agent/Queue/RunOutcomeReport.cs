namespace Trainer.Agent.Queue;

/// <summary>How a claimed run ended, as its agent reports it to the queue.</summary>
/// <param name="State"><see cref="QueuedRunState.Completed"/>, <see cref="QueuedRunState.Failed"/> or <see cref="QueuedRunState.Cancelled"/>.</param>
/// <param name="ExitCode">The run's exit code.</param>
/// <param name="PeakMemoryBytes">Peak resident memory of the run.</param>
/// <param name="DurationSeconds">Wall time of this attempt (added to earlier attempts').</param>
/// <param name="Message">Why it failed or was cancelled.</param>
public sealed record RunOutcomeReport(QueuedRunState State, int? ExitCode, long? PeakMemoryBytes, double DurationSeconds, string? Message = null);
