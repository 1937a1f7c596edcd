using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Trainer.Plugins.RunningStats;

/// <summary>Options of <c>"Type": "RunningStats"</c>.</summary>
public sealed class RunningStatsOptions
{
    /// <summary>β of the smoothed per-batch loss, accuracy and throughput, in [0, 1); window ≈ 1/(1−β). Default: 0.98.</summary>
    [Description("Decay of the smoothed loss, accuracy and throughput.")]
    [Range(0.0, 0.999999)]
    public double Beta { get; set; } = RunningStatsDefaults.Beta;

    /// <summary>Divide by 1 − β^t so early values are not biased towards 0. Default: true.</summary>
    [Description("Bias-correct the averages.")]
    public bool BiasCorrection { get; set; } = true;

    /// <summary>Log the smoothed statistics every this many steps (one host sync each time); 0 for never. Default: 50.</summary>
    [Description("Steps between log events (0: never).")]
    [Range(0, 1_000_000)]
    public int LogEvery { get; set; } = RunningStatsDefaults.LogEvery;

    /// <summary>
    /// Keep an exponential moving average of the weights (Polyak averaging), buffers included, updated after every
    /// step and bias-corrected like the other averages: v_t/(1 − β^t) from v_0 = 0, so it never mixes in the random
    /// initialisation. Default: false.
    /// </summary>
    [Description("Keep a bias-corrected EMA of the weights (per step) and evaluate it.")]
    public bool WeightAverage { get; set; }

    /// <summary>β of the weight average, per step (window ≈ 1/(1 − β) steps). Default: 0.999.</summary>
    [Description("Decay of the weight average, per step.")]
    [Range(0.0, 0.999999)]
    public double WeightBeta { get; set; } = RunningStatsDefaults.WeightBeta;

    /// <summary>With <see cref="WeightAverage"/>: load the averaged weights into the model for the test evaluation. Default: true.</summary>
    [Description("Test with the averaged weights.")]
    public bool UseAverageForTest { get; set; } = true;
}
