using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Trainer.Plugins.RunningStats;

/// <summary>Options of <c>"Type": "LayerStats"</c>.</summary>
public sealed class LayerStatsOptions
{
    /// <summary>Measure on the first batch of every this many epochs (epoch 1 is always measured: the initialisation). Default: 1.</summary>
    [Description("Epochs between measurements.")]
    [Range(1, 1_000_000)]
    public int EveryEpochs { get; set; } = 1;

    /// <summary>Record the standard deviation of each hidden activation layer's output (<c>layerNN_act_std</c>). Default: true.</summary>
    [Description("Record activation standard deviations.")]
    public bool Activations { get; set; } = true;

    /// <summary>Record the L2 norm of each weight layer's gradient (<c>layerNN_grad_norm</c>). Default: true.</summary>
    [Description("Record weight-gradient norms.")]
    public bool Gradients { get; set; } = true;
}
