using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Example.Extensions;

/// <summary>Options of <c>{ "Type": "WarmRestarts", "Options": { … } }</c>.</summary>
public sealed class WarmRestartsOptions
{
    /// <summary>Epochs of each cosine cycle. Default: 5.</summary>
    [Description("Epochs per cosine cycle.")]
    [Range(1, 1_000_000)]
    public int CycleEpochs { get; set; } = 5;

    /// <summary>The lowest rate, as a fraction of α0. Default: 0.01.</summary>
    [Description("Lowest rate as a fraction of the initial rate.")]
    [Range(0.0, 1.0)]
    public double MinFraction { get; set; } = 0.01;
}
