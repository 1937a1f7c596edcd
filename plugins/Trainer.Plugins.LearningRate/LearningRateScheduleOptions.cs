using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Trainer.Training;

namespace Trainer.Plugins.LearningRate;

/// <summary>Options of <c>"Type": "LearningRateSchedule"</c>. α0 is the recipe's <c>Optimizer:LearningRate</c>.</summary>
public sealed class LearningRateScheduleOptions : IValidatableObject
{
    /// <summary>Which schedule. Default: InverseTime.</summary>
    [Description("The schedule.")]
    public ScheduleKind Schedule { get; set; } = ScheduleKind.InverseTime;

    /// <summary>Recompute the rate every epoch or every step. Default: Epoch.</summary>
    [Description("Recompute every Epoch or every Step.")]
    public ScheduleInterval Interval { get; set; } = ScheduleInterval.Epoch;

    /// <summary>
    /// Epochs of linear warm-up before the schedule starts: the rate rises before every step (whatever the
    /// <see cref="Interval"/>) from α0/(W·steps per epoch) to α0 on the last warm-up step, then the schedule runs from its
    /// start. 0 for none. Default: 0.
    /// </summary>
    [Description("Linear warm-up epochs in front of the schedule, ramped step by step.")]
    [Range(0, 1_000_000)]
    public int WarmupEpochs { get; set; }

    /// <summary>InverseTime: k in α0/(1 + k·epoch). Default: 1.</summary>
    [Description("InverseTime: k in a0/(1+k*epoch).")]
    [Range(0.0, double.MaxValue)]
    public double DecayRate { get; set; } = LearningRateScheduleDefaults.DecayRate;

    /// <summary>Exponential: r in α0·r^epoch, in (0, 1]. Default: 0.95.</summary>
    [Description("Exponential: r in a0*r^epoch.")]
    [Range(double.Epsilon, 1.0)]
    public double Rate { get; set; } = LearningRateScheduleDefaults.Rate;

    /// <summary>InverseSqrt: k in α0·k/√(epoch + 1). Default: 1.</summary>
    [Description("InverseSqrt: k in a0*k/sqrt(epoch+1).")]
    [Range(double.Epsilon, double.MaxValue)]
    public double K { get; set; } = LearningRateScheduleDefaults.K;

    /// <summary>Step: epochs per stair. Default: 10.</summary>
    [Description("Step: epochs per stair.")]
    [Range(1, 1_000_000)]
    public int StepSize { get; set; } = LearningRateScheduleDefaults.StepSize;

    /// <summary>Step and MultiStep: the factor γ per drop, in (0, 1]. Default: 0.1.</summary>
    [Description("Step, MultiStep: factor per drop.")]
    [Range(double.Epsilon, 1.0)]
    public double Gamma { get; set; } = LearningRateScheduleDefaults.Gamma;

    /// <summary>MultiStep: completed-epoch counts after which the rate drops, ascending. Required for MultiStep.</summary>
    [Description("MultiStep: epochs after which the rate drops.")]
    public int[]? Milestones { get; set; }

    /// <summary>Cosine: the floor; ReduceOnPlateau: the lowest rate. Default: 0.</summary>
    [Description("Cosine, ReduceOnPlateau: lowest rate.")]
    [Range(0.0, double.MaxValue)]
    public double MinLearningRate { get; set; }

    /// <summary>Cosine: epochs of the descent. Default: the recipe's epochs minus the warm-up.</summary>
    [Description("Cosine: epochs of the descent (default: all after warm-up).")]
    [Range(1, 1_000_000)]
    public int? Period { get; set; }

    /// <summary>OneCycle: the peak rate. Required for OneCycle.</summary>
    [Description("OneCycle: the peak rate.")]
    public double? MaxLearningRate { get; set; }

    /// <summary>OneCycle: fraction of the cycle spent rising, in (0, 1). Default: 0.3.</summary>
    [Description("OneCycle: fraction spent rising.")]
    [Range(0.01, 0.99)]
    public double PctStart { get; set; } = LearningRateScheduleDefaults.PctStart;

    /// <summary>OneCycle: the final rate is α0 divided by this. Default: 1e4.</summary>
    [Description("OneCycle: final rate is a0 divided by this.")]
    [Range(1.0, double.MaxValue)]
    public double FinalDivFactor { get; set; } = LearningRateScheduleDefaults.FinalDivFactor;

    /// <summary>ReduceOnPlateau: the metric watched. Default: "val_loss".</summary>
    [Description("ReduceOnPlateau: metric watched.")]
    public string Monitor { get; set; } = LearningRateScheduleDefaults.Monitor;

    /// <summary>ReduceOnPlateau: direction of improvement. Default: Auto.</summary>
    [Description("ReduceOnPlateau: direction; Auto infers it from the name.")]
    public MonitorMode Mode { get; set; } = MonitorMode.Auto;

    /// <summary>ReduceOnPlateau: the least change that counts as an improvement. Default: 0.</summary>
    [Description("ReduceOnPlateau: least change that counts as an improvement.")]
    [Range(0.0, double.MaxValue)]
    public double MinDelta { get; set; }

    /// <summary>ReduceOnPlateau: multiplier per reduction, in (0, 1). Default: 0.1.</summary>
    [Description("ReduceOnPlateau: multiplier per reduction.")]
    [Range(double.Epsilon, 0.999999)]
    public double Factor { get; set; } = LearningRateScheduleDefaults.Factor;

    /// <summary>ReduceOnPlateau: bad epochs tolerated; the rate drops on the next one. Default: 10.</summary>
    [Description("ReduceOnPlateau: bad epochs tolerated before a reduction.")]
    [Range(0, 1_000_000)]
    public int Patience { get; set; } = LearningRateScheduleDefaults.Patience;

    /// <summary>ReduceOnPlateau: epochs after a reduction before bad epochs count again. Default: 0.</summary>
    [Description("ReduceOnPlateau: epochs to wait after a reduction.")]
    [Range(0, 1_000_000)]
    public int Cooldown { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Schedule == ScheduleKind.MultiStep)
        {
            if (Milestones is not { Length: > 0 })
                yield return new ValidationResult("MultiStep needs Milestones, e.g. [10, 20].", [nameof(Milestones)]);
            else if (Milestones.Any(m => m < 1) || !Milestones.SequenceEqual(Milestones.Order()) || Milestones.Distinct().Count() != Milestones.Length)
                yield return new ValidationResult($"Milestones must be distinct positive epochs in ascending order (got [{string.Join(", ", Milestones)}]).", [nameof(Milestones)]);
        }
        if (Schedule == ScheduleKind.OneCycle && MaxLearningRate is not > 0)
            yield return new ValidationResult("OneCycle needs MaxLearningRate greater than 0.", [nameof(MaxLearningRate)]);
        if (Schedule == ScheduleKind.ReduceOnPlateau && string.IsNullOrWhiteSpace(Monitor))
            yield return new ValidationResult("ReduceOnPlateau needs a Monitor metric.", [nameof(Monitor)]);
    }
}
