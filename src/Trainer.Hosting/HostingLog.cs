using Microsoft.Extensions.Logging;

namespace Trainer.Hosting;

/// <summary>The hosting layer's log events.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(100, LogLevel.Information,
        "Run {Status}: test accuracy {TestAccuracy:0.0000}, test loss {TestLoss:0.0000} after {Epochs} epochs in {DurationSeconds:0.0}s; run directory {RunDirectory}")]
    public static partial void RunFinished(ILogger logger, string status, double testAccuracy, double testLoss, int epochs, double durationSeconds, string runDirectory);

    [LoggerMessage(EventId = 140, EventName = "RunFinishedWithTaskMetric", Level = LogLevel.Information,
        Message = "Run {Status}: test {TestMetric} {TestValue:0.0000}, test loss {TestLoss:0.0000} after {Epochs} epochs in {DurationSeconds:0.0}s; " +
                  "run directory {RunDirectory}")]
    public static partial void RunFinishedWithTaskMetric(ILogger logger, string status, string testMetric, double testValue, double testLoss, int epochs,
        double durationSeconds, string runDirectory);

    [LoggerMessage(101, LogLevel.Information, "Stopped early by {Callback} ({StopReason}): {StopMessage} after {Epochs} epochs")]
    public static partial void StoppedEarly(ILogger logger, string callback, string stopReason, string stopMessage, int epochs);

    [LoggerMessage(102, LogLevel.Warning, "Run interrupted after {Epochs} finished epochs; what it wrote is in {RunDirectory}")]
    public static partial void RunInterrupted(ILogger logger, int epochs, string runDirectory);

    [LoggerMessage(107, LogLevel.Information, "Run stopped on request after {Epochs} finished epochs; continue it with --resume --run-dir {RunDirectory}")]
    public static partial void RunStopped(ILogger logger, int epochs, string runDirectory);

    [LoggerMessage(106, LogLevel.Warning, "The run's plots could not be written: {Error}")]
    public static partial void PlotsFailed(ILogger logger, string error);

    [LoggerMessage(108, LogLevel.Warning, "Skipped a damaged checkpoint: {Problem}")]
    public static partial void DamagedCheckpoint(ILogger logger, string problem);

    [LoggerMessage(109, LogLevel.Warning, "Data: {DataNote}")]
    public static partial void DataNote(ILogger logger, string dataNote);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "Model:InitFrom: {InitFrom}")]
    public static partial void ModelInitialized(ILogger logger, string initFrom);

    [LoggerMessage(EventId = 142, Level = LogLevel.Information, Message = "Model:Freeze: {Frozen}")]
    public static partial void ModelFrozen(ILogger logger, string frozen);

    [LoggerMessage(105, LogLevel.Information, "{ResumeNote}")]
    public static partial void ResumeNote(ILogger logger, string resumeNote);

    [LoggerMessage(103, LogLevel.Error, "Run failed: {Error}")]
    public static partial void RunFailed(ILogger logger, string error);

    [LoggerMessage(104, LogLevel.Error, "Run failed: {Error} (stack trace in {LogFile})")]
    public static partial void RunCrashed(ILogger logger, Exception? exception, string error, string logFile);

    [LoggerMessage(EventId = 120, Level = LogLevel.Error, Message = "Recipe is invalid: {Problem}")]
    public static partial void RecipeInvalid(ILogger logger, string problem);
}
