using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Trainer.Training;

namespace Trainer.Plugins.EarlyStopping;

/// <summary>Options of <c>"Type": "EarlyStopping"</c>.</summary>
public sealed class EarlyStoppingOptions
{
    /// <summary>The metric to watch: any epoch metric, e.g. "val_loss", "val_accuracy", "ewma_train_loss". Default: "val_loss".</summary>
    [Description("Metric to watch (any epoch metric).")]
    [Required(AllowEmptyStrings = false)]
    public string Monitor { get; set; } = EarlyStoppingDefaults.Monitor;

    /// <summary>Min, Max, or Auto (inferred from the name: accuracy-like names are maximised). Default: Auto.</summary>
    [Description("Direction of improvement; Auto infers it from the name.")]
    public MonitorMode Mode { get; set; } = MonitorMode.Auto;

    /// <summary>Checked epochs without improvement before stopping. Default: 5.</summary>
    [Description("Epochs without improvement before stopping.")]
    [Range(1, 100_000)]
    public int Patience { get; set; } = EarlyStoppingDefaults.Patience;

    /// <summary>The least change that counts as an improvement, at least 0. Default: 0.</summary>
    [Description("Least change that counts as an improvement.")]
    [Range(0.0, double.MaxValue)]
    public double MinDelta { get; set; }

    /// <summary>A value the metric must beat; until it does, no epoch counts as best. Default: none.</summary>
    [Description("Value the metric must beat within Patience epochs.")]
    public double? Baseline { get; set; }

    /// <summary>The first epoch (from 1) that is checked; earlier epochs are warm-up. Default: 1.</summary>
    [Description("First epoch that is checked.")]
    [Range(1, 1_000_000)]
    public int StartFromEpoch { get; set; } = EarlyStoppingDefaults.StartFromEpoch;

    /// <summary>Put the best epoch's weights back when training ends, before the test evaluation. Default: false.</summary>
    [Description("Restore the best epoch's weights before testing.")]
    public bool RestoreBestWeights { get; set; }

    /// <summary>Stop when the metric is NaN or infinite. Default: true.</summary>
    [Description("Stop when the metric is NaN or infinite.")]
    public bool CheckFinite { get; set; } = true;

    /// <summary>Stop as soon as the metric is at least this good. Default: none.</summary>
    [Description("Stop as soon as the metric is this good.")]
    public double? StoppingThreshold { get; set; }

    /// <summary>Stop as soon as the metric is worse than this. Default: none.</summary>
    [Description("Stop as soon as the metric is worse than this.")]
    public double? DivergenceThreshold { get; set; }
}
