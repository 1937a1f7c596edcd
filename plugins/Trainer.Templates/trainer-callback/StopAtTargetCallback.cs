using Microsoft.Extensions.Logging;
using Trainer.Callbacks;

namespace MyCallbacks;

/// <summary>Stops training once an epoch metric reaches a target (losses: at or below it; anything else: at or above it).</summary>
[CallbackName("StopAtTarget")]
public sealed partial class StopAtTargetCallback(StopAtTargetOptions options) : TrainingCallback
{
    /// <inheritdoc />
    public override void OnEpochEnd(EpochContext context)
    {
        var value = context.RequireMetric(options.Monitor, "StopAtTarget");
        var lowerIsBetter = options.Monitor.Contains("loss", StringComparison.OrdinalIgnoreCase);
        if (lowerIsBetter ? value > options.Target : value < options.Target) return;
        Reached(context.Logger, options.Monitor, value, options.Target, context.Epoch);
        context.RequestStop(StopAtTargetReason.TargetReached, $"{options.Monitor} reached {options.Target} in epoch {context.Epoch}");
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "{Monitor} = {Value:0.0000} reached the target {Target} in epoch {Epoch}")]
    private static partial void Reached(ILogger logger, string monitor, double value, double target, int epoch);
}
