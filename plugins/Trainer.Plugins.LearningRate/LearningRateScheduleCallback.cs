using Microsoft.Extensions.Logging;
using Trainer.Callbacks;
using Trainer.Plugins.LearningRate.Schedules;
using Trainer.Schedules;
using Trainer.Training;

namespace Trainer.Plugins.LearningRate;

/// <summary>
/// Sets the optimizer's learning rate (every parameter group) from a schedule at the start of every epoch, or before
/// every step; a warm-up ramps before every step in either case. "Epoch" in the formulas counts completed epochs, so the
/// first epoch after the warm-up trains at α0 (the recipe's
/// <c>Optimizer:LearningRate</c>, rescaled when a control command changes the rate:
/// <see cref="CallbackContext.BaseLearningRate"/>). The rate is computed from saved state, never accumulated, so resume is exact.
/// </summary>
[CallbackName("LearningRateSchedule")]
public sealed partial class LearningRateScheduleCallback : TrainingCallback, IStatefulCallback
{
    private readonly LearningRateScheduleOptions options;
    private readonly ReduceOnPlateau? plateau;
    private ILearningRateSchedule? schedule;
    private double? initial;
    private int? scheduleEpochs;

    /// <summary>Creates the callback.</summary>
    public LearningRateScheduleCallback(LearningRateScheduleOptions options)
    {
        this.options = options;
        if (options.Schedule == ScheduleKind.ReduceOnPlateau)
            plateau = new ReduceOnPlateau(new MetricMonitor(options.Monitor, options.Mode, options.MinDelta), options.Factor, options.Patience, options.Cooldown);
    }


    /// <summary>α0; null before training starts.</summary>
    public double? InitialLearningRate => initial;

    /// <inheritdoc />
    public string StateKey => $"LearningRateSchedule[{options.Schedule}]";

    /// <summary>The schedule as configured for a run of <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> steps.</summary>
    public ILearningRateSchedule CreateSchedule(int epochs, int stepsPerEpoch)
    {
        var warmup = options.WarmupEpochs;
        var remaining = Math.Max(1, epochs - warmup);
        var step = 1.0 / Math.Max(1, stepsPerEpoch);
        var unit = options.Interval == ScheduleInterval.Step ? step : 1.0;
        ILearningRateSchedule inner = options.Schedule switch
        {
            ScheduleKind.InverseTime => new InverseTimeSchedule(options.DecayRate),
            ScheduleKind.Exponential => new ExponentialSchedule(options.Rate),
            ScheduleKind.InverseSqrt => new InverseSqrtSchedule(options.K),
            ScheduleKind.Step => new StepSchedule(options.StepSize, options.Gamma),
            ScheduleKind.MultiStep => new MultiStepSchedule(options.Milestones ?? [], options.Gamma),
            ScheduleKind.Cosine => new CosineSchedule(options.Period ?? remaining, options.MinLearningRate),
            ScheduleKind.OneCycle => new OneCycleSchedule(remaining, options.MaxLearningRate ?? 0, options.PctStart, options.FinalDivFactor, unit),
            _ => new ConstantSchedule(),
        };
        // The warm-up ramps step by step whatever the interval: per epoch, one warm-up epoch would only delay the schedule.
        return warmup > 0 ? new WarmupSchedule(inner, warmup, step) : inner;
    }

    /// <inheritdoc />
    public override void OnTrainStart(TrainContext context)
    {
        initial ??= context.LearningRate;
        // A resumed run keeps the length its schedule was built for, even when Training:Epochs grew.
        scheduleEpochs ??= context.Epochs;
        schedule = CreateSchedule(scheduleEpochs.Value, context.StepsPerEpoch);
        Log.Started(context.Logger, options.Schedule.ToString(), options.Interval.ToString(), initial.Value, options.WarmupEpochs);
    }

    /// <inheritdoc />
    public override void OnEpochStart(EpochContext context) =>
        Apply(context, options.Interval == ScheduleInterval.Step ? (double)context.GlobalStep / context.StepsPerEpoch : context.Epoch - 1);

    /// <inheritdoc />
    public override void OnBatchStart(BatchContext context)
    {
        var epochs = (double)context.GlobalStep / context.StepsPerEpoch;
        if (options.Interval == ScheduleInterval.Step || epochs < options.WarmupEpochs) Apply(context, epochs);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(EpochContext context)
    {
        if (plateau is null) return;
        var value = context.RequireMetric(plateau.Monitor.Metric, "LearningRateSchedule Monitor");
        if (plateau.Observe(value))
            Log.Reduced(context.Logger, plateau.Monitor.Metric, value, Rate(context, context.Epoch), context.Epoch);
    }

    /// <inheritdoc />
    public CallbackState SaveState()
    {
        var state = new CallbackState().Set("initialLearningRate", initial ?? double.NaN).Set("scheduleEpochs", (long)(scheduleEpochs ?? 0));
        plateau?.Save(state);
        return state;
    }

    /// <inheritdoc />
    public void LoadState(CallbackState state)
    {
        var saved = state.GetDouble("initialLearningRate");
        initial = double.IsNaN(saved) ? null : saved;
        var epochs = state.Contains("scheduleEpochs") ? state.GetInt64("scheduleEpochs") : 0;
        scheduleEpochs = epochs > 0 ? (int)epochs : null;
        plateau?.Load(state);
    }

    private void Apply(CallbackContext context, double epochs) => context.LearningRate = Rate(context, epochs);

    private double Rate(CallbackContext context, double epochs)
    {
        // α0 from this callback's state, times whatever control commands did to the run's base rate (1 when never steered).
        var steered = context.BaseLearningRate / context.Recipe.Optimizer.LearningRate;
        var rate = schedule!.LearningRate(initial!.Value * steered, epochs);
        return plateau is null ? rate : Math.Max(rate * plateau.Scale, options.MinLearningRate);
    }

    private static partial class Log
    {
        [LoggerMessage(310, LogLevel.Information, "Learning-rate schedule {Schedule} every {Interval} from {InitialLearningRate:G4} ({WarmupEpochs} warm-up epochs)")]
        public static partial void Started(ILogger logger, string schedule, string interval, double initialLearningRate, int warmupEpochs);

        [LoggerMessage(311, LogLevel.Information, "{Monitor} = {Value:G6} stalled: learning rate reduced to {LearningRate:G4} after epoch {Epoch}")]
        public static partial void Reduced(ILogger logger, string monitor, double value, double learningRate, int epoch);
    }
}
