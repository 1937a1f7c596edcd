using Microsoft.Extensions.Logging;
using Trainer.Callbacks;
using Trainer.Training;
using static TorchSharp.torch;

namespace Trainer.Plugins.EarlyStopping;

/// <summary>
/// Stops training when a monitored metric stops improving (patience), reaches a target, diverges or becomes
/// non-finite; reports the best epoch; optionally restores the best epoch's weights however the run ends. Checks
/// run at epoch end, after validation.
/// </summary>
public sealed partial class EarlyStoppingCallback : TrainingCallback, IStatefulCallback, IDisposable
{
    private readonly EarlyStoppingOptions options;
    private readonly MetricMonitor monitor;
    private Dictionary<string, Tensor>? bestWeights;

    /// <summary>Creates the callback.</summary>
    public EarlyStoppingCallback(EarlyStoppingOptions options)
    {
        this.options = options;
        monitor = new MetricMonitor(options.Monitor, options.Mode, options.MinDelta);
        Best = options.Baseline ?? monitor.Worst;
    }


    /// <summary>The best value seen (or the baseline until it is beaten).</summary>
    public double Best { get; private set; }

    /// <summary>The epoch of <see cref="Best"/>; null until an epoch beats the baseline.</summary>
    public int? BestEpoch { get; private set; }

    /// <summary>Checked epochs since the last improvement.</summary>
    public int Wait { get; private set; }

    /// <inheritdoc />
    public string StateKey => $"EarlyStopping[{monitor.Metric},{monitor.Mode.ToString().ToLowerInvariant()}]";

    /// <inheritdoc />
    public override void OnEpochEnd(EpochContext context)
    {
        if (context.Epoch < options.StartFromEpoch) return;
        var value = context.RequireMetric(monitor.Metric, $"EarlyStopping Monitor");

        if (!double.IsFinite(value) && options.CheckFinite)
        {
            Stop(context, EarlyStoppingReason.NonFinite, $"{monitor.Metric} is {value} in epoch {context.Epoch}");
            return;
        }

        // A non-finite value (with CheckFinite off) is never an improvement, so it uses up patience.
        if (double.IsFinite(value) && monitor.IsImprovement(value, Best))
        {
            Best = value;
            BestEpoch = context.Epoch;
            Wait = 0;
            context.ReportBestEpoch(context.Epoch);
            if (options.RestoreBestWeights) SnapshotWeights(context.Model);
        }
        else
        {
            Wait++;
        }

        if (options.StoppingThreshold is { } target && monitor.Reaches(value, target))
            Stop(context, EarlyStoppingReason.ThresholdReached, $"{monitor.Metric} = {value:G6} reached the stopping threshold {target:G6}");
        else if (options.DivergenceThreshold is { } limit && !monitor.Reaches(value, limit))
            Stop(context, EarlyStoppingReason.Diverged, $"{monitor.Metric} = {value:G6} is worse than the divergence threshold {limit:G6}");
        else if (Wait >= options.Patience)
            Stop(context, EarlyStoppingReason.PatienceExhausted,
                $"{monitor.Metric} did not improve for {Wait} epochs; best {Best:G6}" + (BestEpoch is { } e ? $" in epoch {e}" : " (baseline never beaten)"));
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainEndContext context)
    {
        // The best weights are for the test evaluation, which follows only a finished run; an interrupted run keeps its
        // current weights so that it can resume exactly.
        if (bestWeights is null || BestEpoch is null || context.Status is not (RunStatus.Completed or RunStatus.StoppedEarly)) return;
        // After every callback's OnTrainEnd, so a final checkpoint still holds the live weights.
        context.AfterHook(() =>
        {
            using (no_grad())
            {
                foreach (var (name, tensor) in context.Model.state_dict())
                    if (bestWeights.TryGetValue(name, out var saved)) tensor.copy_(saved);
            }
            context.ReportTestedWeights($"best epoch {BestEpoch.Value} by {monitor.Metric}", BestEpoch.Value);
            Log.Restored(context.Logger, BestEpoch.Value, monitor.Metric, Best);
        });
    }

    /// <inheritdoc />
    public CallbackState SaveState()
    {
        var state = new CallbackState().Set("best", Best).Set("bestEpoch", BestEpoch ?? 0L).Set("wait", (long)Wait);
        // The best weights travel with the state, so a resumed run restores the same epoch's weights.
        if (bestWeights is not null) state.SetTensors("bestWeights", bestWeights);
        return state;
    }

    /// <inheritdoc />
    public void LoadState(CallbackState state)
    {
        Best = state.GetDouble("best");
        var epoch = state.GetInt64("bestEpoch");
        BestEpoch = epoch > 0 ? (int)epoch : null;
        Wait = (int)state.GetInt64("wait");
        DisposeWeights();
        if (state.Contains("bestWeights")) bestWeights = state.GetTensors("bestWeights");
    }

    /// <inheritdoc />
    public void Dispose() => DisposeWeights();

    private void Stop(EpochContext context, EarlyStoppingReason reason, string message)
    {
        Log.Stopping(context.Logger, ReasonCode.From(reason), message);
        context.RequestStop(reason, message);
    }

    private void SnapshotWeights(nn.Module model)
    {
        DisposeWeights();
        using var noGrad = no_grad();
        bestWeights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
    }

    private void DisposeWeights()
    {
        if (bestWeights is null) return;
        foreach (var tensor in bestWeights.Values) tensor.Dispose();
        bestWeights = null;
    }

    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Information, "Early stopping ({StopReason}): {StopMessage}")]
        public static partial void Stopping(ILogger logger, string stopReason, string stopMessage);

        [LoggerMessage(301, LogLevel.Information, "Restored the weights of epoch {BestEpoch} ({Monitor} = {Best:G6})")]
        public static partial void Restored(ILogger logger, int bestEpoch, string monitor, double best);
    }
}
