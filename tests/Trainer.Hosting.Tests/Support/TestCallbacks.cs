using DescriptionAttribute = System.ComponentModel.DescriptionAttribute;
using RangeAttribute = System.ComponentModel.DataAnnotations.RangeAttribute;
using Trainer.Callbacks;

namespace Trainer.Hosting.Tests.Support;

/// <summary>Options of <see cref="StopAfterCallback"/>.</summary>
public sealed class StopAfterOptions
{
    [Description("Epoch after which to stop.")]
    [Range(1, 1000)]
    public int Epoch { get; set; } = 2;

    public string Reason { get; set; } = "enough";
}

/// <summary>Stops the run after a given epoch.</summary>
public sealed class StopAfterCallback(StopAfterOptions options) : TrainingCallback
{
    public override void OnEpochEnd(EpochContext context)
    {
        if (context.Epoch >= options.Epoch) context.RequestStop(options.Reason, $"stopped after epoch {context.Epoch}");
    }
}

/// <summary>A callback without options, named by attribute.</summary>
[CallbackName("Noop")]
public sealed class NothingCallback : TrainingCallback;

/// <summary>Options of <see cref="ScriptedMetricCallback"/>.</summary>
public sealed class ScriptedMetricOptions
{
    public string Metric { get; set; } = "scripted";

    public double[] Values { get; set; } = [];
}

/// <summary>Sets a metric to a scripted value per epoch (the last value repeats), so tests know every epoch's objective.</summary>
[CallbackName("ScriptedMetric")]
public sealed class ScriptedMetricCallback(ScriptedMetricOptions options) : TrainingCallback
{
    public override void OnValidationEnd(EpochContext context) =>
        context.SetMetric(options.Metric, options.Values[Math.Min(context.Epoch, options.Values.Length) - 1]);
}
