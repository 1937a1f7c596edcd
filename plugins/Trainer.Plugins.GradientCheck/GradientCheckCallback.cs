using Microsoft.Extensions.Logging;
using Trainer.Callbacks;
using Trainer.Data;
using Trainer.Recipes;

namespace Trainer.Plugins.GradientCheck;

/// <summary>
/// Runs a two-sided gradient check of the run's model, loss and L2 term on a copy of the model at the start of
/// training (and every <c>EveryEpochs</c> epochs when set — never every step: it is a debugging tool), logs the
/// result, and with <c>FailOnError</c> fails the run naming the worst parameter.
/// </summary>
[CallbackName("GradientCheck")]
public sealed partial class GradientCheckCallback(GradientCheckOptions options) : TrainingCallback
{
    private readonly HookFilter every = HookFilter.EveryN(options.EveryEpochs);


    /// <summary>The reports of the checks so far.</summary>
    public List<GradientCheckReport> Reports { get; } = [];

    /// <inheritdoc />
    public override void OnTrainStart(TrainContext context) => Run(context);

    /// <inheritdoc />
    public override void OnEpochEnd(EpochContext context)
    {
        if (every.IsDue(context.Epoch)) Run(context);
    }

    /// <summary>The L2 coefficient that is part of the cost the optimizer minimises (AdamW's decoupled decay is not).</summary>
    public static double WeightDecayOf(OptimizerOptions optimizer) =>
        optimizer.Kind.Equals("adamw", StringComparison.OrdinalIgnoreCase) ? 0 : optimizer.WeightDecay;

    /// <summary>The fixed mini-batch: the first examples of the training split.</summary>
    public static (TorchSharp.torch.Tensor Inputs, TorchSharp.torch.Tensor Targets) FixedBatch(Dataset train, int batchSize)
    {
        var count = Math.Min(batchSize, train.Count);
        return (train.Features.narrow(0, 0, count), train.Labels.narrow(0, 0, count));
    }

    private void Run(CallbackContext context)
    {
        var (inputs, targets) = FixedBatch(context.Data.Train, options.BatchSize);
        using (inputs)
        using (targets)
        {
            var report = GradientChecker.CheckCopy(context.Model, context.CreateModel, inputs, targets,
                WeightDecayOf(context.Recipe.Optimizer), options);
            Reports.Add(report);
            if (report.DropoutDisabled) Log.DropoutOff(context.Logger);
            var worst = report.WorstTensor;
            Log.Result(context.Logger, report.Verdict.ToString().ToLowerInvariant(), report.RelativeError, worst.Name, worst.RelativeError,
                report.EntriesChecked, report.Duration.TotalSeconds, context.Epoch);
            if (report.Verdict == GradientCheckVerdict.Fail && options.FailOnError) throw new GradientCheckFailedException(report);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(330, LogLevel.Information,
            "Gradient check {Verdict}: relative error {RelativeError:G3}, worst {WorstParameter} at {WorstRelativeError:G3}, {EntriesChecked} entries in {CheckSeconds:0.00}s (after epoch {Epoch})")]
        public static partial void Result(ILogger logger, string verdict, double relativeError, string worstParameter, double worstRelativeError,
            long entriesChecked, double checkSeconds, int epoch);

        [LoggerMessage(331, LogLevel.Information, "Gradient check: the model has dropout; the check runs with dropout off")]
        public static partial void DropoutOff(ILogger logger);
    }
}
