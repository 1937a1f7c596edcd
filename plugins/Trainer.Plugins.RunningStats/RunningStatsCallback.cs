using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Trainer.Callbacks;
using Trainer.Statistics;
using static TorchSharp.torch;

namespace Trainer.Plugins.RunningStats;

/// <summary>
/// Exponentially weighted running statistics of training: bias-corrected EWMAs of the per-batch loss and accuracy
/// (kept on the device, no host sync per step) and of throughput, logged every <c>LogEvery</c> steps and added to
/// each epoch's metrics as <c>ewma_train_loss</c> and <c>ewma_train_accuracy</c>. With <c>WeightAverage</c>, a
/// bias-corrected EMA of the weights (updated after every step) is evaluated on the validation split (<c>ema_val_loss</c>, <c>ema_val_accuracy</c>) and, by
/// default, used for the test evaluation.
/// </summary>
[CallbackName("RunningStats")]
public sealed partial class RunningStatsCallback : TrainingCallback, IStatefulCallback, IDisposable
{
    private readonly RunningStatsOptions options;
    private readonly TensorExponentialMovingAverage loss;
    private readonly TensorExponentialMovingAverage accuracy;
    private readonly ExponentialMovingAverage throughput;
    private readonly HookFilter logFilter;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan? lastBatchEnd;
    private ModelAverage? weights;
    private Dictionary<string, Tensor>? restoredAverage;
    private double restoredBetaPower;
    private bool tracksAccuracy; // a classifier: the loop counts correct predictions per batch

    /// <summary>Creates the callback.</summary>
    public RunningStatsCallback(RunningStatsOptions options)
    {
        this.options = options;
        loss = new TensorExponentialMovingAverage(options.Beta, options.BiasCorrection);
        accuracy = new TensorExponentialMovingAverage(options.Beta, options.BiasCorrection);
        throughput = new ExponentialMovingAverage(options.Beta, options.BiasCorrection);
        logFilter = HookFilter.EveryN(options.LogEvery);
    }


    /// <inheritdoc />
    public string StateKey => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"RunningStats[{options.Beta}]");

    /// <summary>The smoothed loss EWMA (device tensor average).</summary>
    public TensorExponentialMovingAverage Loss => loss;

    /// <summary>The smoothed accuracy EWMA (device tensor average).</summary>
    public TensorExponentialMovingAverage Accuracy => accuracy;

    /// <summary>The smoothed throughput EWMA, examples per second.</summary>
    public ExponentialMovingAverage Throughput => throughput;

    /// <inheritdoc />
    public override void OnTrainStart(TrainContext context)
    {
        if (!options.WeightAverage) return;
        weights ??= new ModelAverage(context.Model, options.WeightBeta);
        if (restoredAverage is not null)
        {
            weights.Load(restoredAverage, restoredBetaPower);
            foreach (var tensor in restoredAverage.Values) tensor.Dispose();
            restoredAverage = null;
        }
    }

    /// <inheritdoc />
    public override void OnEpochStart(EpochContext context) => lastBatchEnd = null; // validation time is not throughput

    /// <inheritdoc />
    public override void OnBatchEnd(BatchContext context)
    {
        loss.Update(context.Loss!);
        // The loop already counted the correct predictions; reuse them rather than run argmax again.
        if (context.Correct is { } correct)
        {
            accuracy.Update(correct, context.BatchSize);
            tracksAccuracy = true;
        }
        var now = clock.Elapsed;
        if (lastBatchEnd is { } last && now > last)
            throughput.Update(context.BatchSize / (now - last).TotalSeconds);
        lastBatchEnd = now;
        weights?.Update();

        if (logFilter.IsDue(context.GlobalStep))
            Log.Smoothed(context.Logger, context.Epoch, context.GlobalStep, loss.ToDouble(), accuracy.ToDouble(), throughput.Value);
    }

    /// <inheritdoc />
    public override void OnValidationEnd(EpochContext context)
    {
        context.SetMetric(RunningStatsDefaults.LossMetric, loss.ToDouble());
        if (tracksAccuracy) context.SetMetric(RunningStatsDefaults.AccuracyMetric, accuracy.ToDouble());
        if (weights is null || context.Data.Validation is not { } validation) return;
        weights.Swap();
        try
        {
            // ema_val_loss and ema_val_<metric> for each of the task's metrics (ema_val_accuracy for a classifier).
            foreach (var (name, value) in context.Evaluate(validation).Named("ema_val")) context.SetMetric(name, value);
        }
        finally
        {
            weights.Swap();
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainEndContext context)
    {
        // Only a finished run is tested; an interrupted one keeps its live weights so that it can resume exactly.
        if (weights is null || !options.UseAverageForTest || context.Status is not (Trainer.Training.RunStatus.Completed or Trainer.Training.RunStatus.StoppedEarly)) return;
        // After every callback's OnTrainEnd, so a final checkpoint still holds the live weights.
        var average = weights;
        context.AfterHook(() =>
        {
            average.CopyToModel();
            context.ReportTestedWeights(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"weight average (β = {options.WeightBeta})"), null);
            Log.AverageLoaded(context.Logger, options.WeightBeta);
        });
    }

    /// <inheritdoc />
    public CallbackState SaveState()
    {
        var state = new CallbackState()
            .Set("throughput", throughput.RawValue).Set("throughputCount", throughput.Count)
            .Set("lossCount", loss.Count).Set("accuracyCount", accuracy.Count);
        if (loss.RawValue is { } l) state.Set("loss", l.to_type(ScalarType.Float64).item<double>());
        if (accuracy.RawValue is { } a) state.Set("accuracy", a.to_type(ScalarType.Float64).item<double>());
        state.Set("lossBetaPower", loss.BetaPower).Set("accuracyBetaPower", accuracy.BetaPower).Set("throughputBetaPower", throughput.BetaPower);
        if (weights is not null) state.SetTensors("weightAverage", weights.Averages).Set("weightBetaPower", weights.BetaPower);
        else if (restoredAverage is not null) state.SetTensors("weightAverage", restoredAverage).Set("weightBetaPower", restoredBetaPower); // loaded, not yet started
        return state;
    }

    /// <inheritdoc />
    public void LoadState(CallbackState state)
    {
        throughput.Restore(state.GetDouble("throughput"), state.GetInt64("throughputCount"), state.GetDouble("throughputBetaPower"));
        if (state.Contains("loss"))
        {
            using var l = tensor(state.GetDouble("loss"));
            loss.Restore(l, state.GetInt64("lossCount"), state.GetDouble("lossBetaPower"));
        }
        if (state.Contains("accuracy"))
        {
            using var a = tensor(state.GetDouble("accuracy"));
            accuracy.Restore(a, state.GetInt64("accuracyCount"), state.GetDouble("accuracyBetaPower"));
        }
        if (!state.Contains("weightAverage")) return;
        restoredAverage = state.GetTensors("weightAverage");
        // Checkpoints from before the bias correction hold an average started from the initial weights: read it as is.
        restoredBetaPower = state.Contains("weightBetaPower") ? state.GetDouble("weightBetaPower") : 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        loss.Dispose();
        accuracy.Dispose();
        weights?.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(320, LogLevel.Information,
            "Epoch {Epoch} step {GlobalStep}: smoothed loss={SmoothedLoss:0.0000} accuracy={SmoothedAccuracy:0.0000} {SmoothedSamplesPerSecond:0} samples/s")]
        public static partial void Smoothed(ILogger logger, int epoch, long globalStep, double smoothedLoss, double smoothedAccuracy, double smoothedSamplesPerSecond);

        [LoggerMessage(321, LogLevel.Information, "Testing with the averaged weights (β = {WeightBeta})")]
        public static partial void AverageLoaded(ILogger logger, double weightBeta);
    }
}
