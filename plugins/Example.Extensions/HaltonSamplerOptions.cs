using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Example.Extensions;

/// <summary>Options of <c>"Sampler": { "Type": "Halton", "Options": { … } }</c>.</summary>
public sealed class HaltonSamplerOptions
{
    /// <summary>Points of the sequence skipped before the first trial (the first few are poorly spread). Default: 1.</summary>
    [Description("Leading points of the sequence skipped.")]
    [Range(0, 1_000_000)]
    public int Skip { get; set; } = 1;
}
