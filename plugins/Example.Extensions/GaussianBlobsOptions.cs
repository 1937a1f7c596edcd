using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Example.Extensions;

/// <summary>Options of <c>"Data": { "Source": "gaussian-blobs", "Options": { … } }</c>.</summary>
public sealed class GaussianBlobsOptions
{
    /// <summary>Examples generated (the test split is held out of them by <c>Data:TestFraction</c>). Default: 600.</summary>
    [Description("Examples generated.")]
    [Range(10, 10_000_000)]
    public int Examples { get; set; } = 600;

    /// <summary>Classes, one blob each. Default: 3.</summary>
    [Description("Classes, one blob each.")]
    [Range(2, 1000)]
    public int Classes { get; set; } = 3;

    /// <summary>Features of an example. Default: 4.</summary>
    [Description("Features of an example.")]
    [Range(1, 100_000)]
    public int Features { get; set; } = 4;

    /// <summary>Standard deviation of each blob around its centre (the centres are about 3 apart per feature). Default: 1.</summary>
    [Description("Standard deviation of each blob around its centre.")]
    [Range(0.0, 100.0)]
    public double Spread { get; set; } = 1;

    /// <summary>Seed of the centres and the points: the same seed gives the same data set. Default: 0.</summary>
    [Description("Seed of the centres and the points.")]
    public long Seed { get; set; }
}
