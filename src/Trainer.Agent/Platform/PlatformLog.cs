using Microsoft.Extensions.Logging;

namespace Trainer.Agent.Platform;

/// <summary>The log messages of the operating-system side.</summary>
internal static partial class PlatformLog
{
    [LoggerMessage(EventId = 590, Level = LogLevel.Warning,
        Message = "systemd notifications are off: NOTIFY_SOCKET {Socket} is unusable ({Reason})")]
    public static partial void NotifySocketUnusable(ILogger logger, string socket, string reason);

    [LoggerMessage(EventId = 591, Level = LogLevel.Warning,
        Message = "A systemd notification to {Socket} failed ({Error}); later failures are not logged")]
    public static partial void NotifyFailed(ILogger logger, string socket, string error, Exception exception);

    [LoggerMessage(EventId = 592, Level = LogLevel.Warning,
        Message = "Watchdog pings paused: the agent's health probe says it is stalled; systemd restarts it after {Timeout}")]
    public static partial void WatchdogPaused(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 593, Level = LogLevel.Information, Message = "Watchdog pings resumed: the agent's health probe says it is healthy")]
    public static partial void WatchdogResumed(ILogger logger);

    [LoggerMessage(EventId = 594, Level = LogLevel.Error, Message = "The agent's health probe failed; counted as stalled")]
    public static partial void ProbeFailed(ILogger logger, Exception exception);
}
