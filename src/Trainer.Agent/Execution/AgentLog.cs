using Microsoft.Extensions.Logging;

namespace Trainer.Agent.Execution;

/// <summary>The agent's log events (ids 1500–1549).</summary>
internal static partial class AgentLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information,
        Message = "Agent {Agent} takes runs from {Queue} into {RunsDirectory} in {Slots} slot(s) of {SlotMemoryMegabytes:0} MB each")]
    public static partial void Started(ILogger logger, string agent, string queue, string runsDirectory, int slots, double slotMemoryMegabytes);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Put back {Count} run(s) this agent held when it last stopped without finishing them; they resume first")]
    public static partial void RequeuedOwn(ILogger logger, int count);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Put back {Count} run(s) whose agents stopped sending heartbeats for {StaleSeconds:0}s")]
    public static partial void RequeuedStale(ILogger logger, int count, double staleSeconds);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information,
        Message = "Run q{QueueId} {RunName} started in slot {Slot} (attempt {Attempt}{Resuming}): {RunDirectory}")]
    public static partial void RunStarted(ILogger logger, long queueId, string runName, int slot, int attempt, string resuming, string runDirectory);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information,
        Message = "Run q{QueueId} {RunName} {QueueState} (exit code {ExitCode}) after {DurationSeconds:0.0}s, peak memory {PeakMemoryMegabytes:0} MB")]
    public static partial void RunEnded(ILogger logger, long queueId, string runName, string queueState, int exitCode, double durationSeconds, double peakMemoryMegabytes);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "Run q{QueueId} {RunName} failed: {Failure}")]
    public static partial void RunFailed(ILogger logger, long queueId, string runName, string failure);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Information, Message = "Run q{QueueId} {RunName} cancelled by a user; stopping it")]
    public static partial void Cancelling(ILogger logger, long queueId, string runName);

    [LoggerMessage(EventId = 1507, Level = LogLevel.Warning, Message = "Run q{QueueId} {RunName} is no longer this agent's (its heartbeat went stale); killing it")]
    public static partial void Lost(ILogger logger, long queueId, string runName);

    [LoggerMessage(EventId = 1508, Level = LogLevel.Information,
        Message = "Stopping: run q{QueueId} {RunName} writes its checkpoint and goes back to the head of the queue")]
    public static partial void Releasing(ILogger logger, long queueId, string runName);

    [LoggerMessage(EventId = 1509, Level = LogLevel.Warning, Message = "The queue {Queue} could not be reached: {Problem}; trying again in {RetrySeconds:0}s")]
    public static partial void QueueUnavailable(ILogger logger, string queue, string problem, double retrySeconds);

    [LoggerMessage(EventId = 1510, Level = LogLevel.Information, Message = "Agent {Agent} stopped after {Runs} run(s)")]
    public static partial void Stopped(ILogger logger, string agent, int runs);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Warning,
        Message = "Run q{QueueId} {RunName}: the recipe's folder {RecipeFolder} is not on this machine; relative paths resolve against {WorkingDirectory}")]
    public static partial void RecipeFolderMissing(ILogger logger, long queueId, string runName, string recipeFolder, string workingDirectory);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Error, Message = "Run q{QueueId} {RunName} could not be run and goes back to the queue: {Problem}")]
    public static partial void RunNotRun(ILogger logger, long queueId, string runName, string problem);
}
