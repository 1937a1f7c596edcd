using Microsoft.Extensions.Logging;
using Trainer.Callbacks;

namespace Trainer.Hosting.Tests.Docs;

// begin-snippet: plateau-stop
/// <summary>Stops training when a loss has not improved by MinDelta for Patience epochs; its memory survives a resume.</summary>
[CallbackName("PlateauStop")]
public sealed partial class PlateauStopCallback(PlateauStopOptions options) : TrainingCallback, IStatefulCallback
{
    private double best = double.PositiveInfinity;
    private int bestEpoch;
    private int wait;

    public string StateKey => $"PlateauStop[{options.Monitor}]";

    public override void OnEpochEnd(EpochContext context)
    {
        if (context.Epoch <= options.WarmupEpochs) return;
        var value = context.RequireMetric(options.Monitor, "PlateauStop Monitor");
        if (!double.IsFinite(value))
        {
            Stop(context, PlateauStopReason.NotFinite, $"{options.Monitor} is {value} in epoch {context.Epoch}");
        }
        else if (value < best - options.MinDelta)
        {
            (best, bestEpoch, wait) = (value, context.Epoch, 0);
            context.ReportBestEpoch(context.Epoch);
        }
        else if (++wait >= options.Patience)
        {
            Stop(context, PlateauStopReason.NoImprovement,
                $"{options.Monitor} did not improve for {wait} epochs; best {best:G6} in epoch {bestEpoch}");
        }
    }

    public CallbackState SaveState() =>
        new CallbackState().Set("best", best).Set("bestEpoch", (long)bestEpoch).Set("wait", (long)wait);

    public void LoadState(CallbackState state)
    {
        best = state.GetDouble("best");
        bestEpoch = (int)state.GetInt64("bestEpoch");
        wait = (int)state.GetInt64("wait");
    }

    private static void Stop(EpochContext context, PlateauStopReason reason, string message)
    {
        LogStopping(context.Logger, context.Epoch, ReasonCode.From(reason), message);
        context.RequestStop(reason, message);
    }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Plateau after epoch {Epoch} ({StopReason}): {StopMessage}")]
    private static partial void LogStopping(ILogger logger, int epoch, string stopReason, string stopMessage);
}
// end-snippet
