using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Trainer.Training;

namespace Trainer.Plugins.Checkpoints;

/// <summary>Options of <c>"Type": "Checkpoint"</c>.</summary>
public sealed class CheckpointOptions
{
    /// <summary>Write a checkpoint every this many epochs (at epoch end, after validation); 0 for none. Default: 1.</summary>
    [Description("Epochs between checkpoints (0: none).")]
    [Range(0, 1_000_000)]
    public int EveryEpochs { get; set; } = CheckpointDefaults.EveryEpochs;

    /// <summary>Also write one when this many minutes passed since the last, checked after every step (mid-epoch allowed); 0 for none. Default: 0.</summary>
    [Description("Minutes between checkpoints, mid-epoch too (0: none).")]
    [Range(0.0, 1_000_000.0)]
    public double EveryMinutes { get; set; }

    /// <summary>Periodic, timed and final checkpoints kept; older ones are deleted. Default: 3.</summary>
    [Description("Checkpoints kept (the best one is kept besides).")]
    [Range(1, 1_000_000)]
    public int KeepLast { get; set; } = CheckpointDefaults.KeepLast;

    /// <summary>Keep <c>best.ckpt</c> by this metric; empty for none. Default: none.</summary>
    [Description("Metric for best.ckpt (empty: none).")]
    public string? Monitor { get; set; }

    /// <summary>Direction of <see cref="Monitor"/>. Default: Auto.</summary>
    [Description("Direction of Monitor; Auto infers it from the name.")]
    public MonitorMode Mode { get; set; } = MonitorMode.Auto;

    /// <summary>Write a final checkpoint when training ends or is interrupted (never after a failure). Default: true.</summary>
    [Description("Write a final checkpoint on stop and on interruption.")]
    public bool SaveOnStop { get; set; } = true;
}
