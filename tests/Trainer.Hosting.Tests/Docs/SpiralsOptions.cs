using System.ComponentModel.DataAnnotations;
// This project's global using of NUnit.Framework has attributes of the same names; a plugin project needs no aliases.
using DescriptionAttribute = System.ComponentModel.DescriptionAttribute;
using RangeAttribute = System.ComponentModel.DataAnnotations.RangeAttribute;

namespace Trainer.Hosting.Tests.Docs;

// begin-snippet: data-source-options
/// <summary>Options of <c>"Data": { "Source": "spirals" }</c>.</summary>
public sealed class SpiralsOptions
{
    [Description("Points on each arm.")]
    [Range(10, 1_000_000)]
    public int PointsPerArm { get; set; } = 300;

    [Description("Arms, one class each.")]
    [Range(2, 10)]
    public int Arms { get; set; } = 3;

    [Description("Standard deviation of the noise added to each angle, in radians.")]
    [Range(0.0, 1.0)]
    public double Noise { get; set; } = 0.2;

    [Description("Seed of the noise: the same seed gives the same points.")]
    public int Seed { get; set; }
}
// end-snippet
