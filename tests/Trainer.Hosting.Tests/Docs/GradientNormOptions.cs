using System.ComponentModel.DataAnnotations;
// This project's global using of NUnit.Framework has attributes of the same names; a plugin project needs no aliases.
using DescriptionAttribute = System.ComponentModel.DescriptionAttribute;
using RangeAttribute = System.ComponentModel.DataAnnotations.RangeAttribute;

namespace Trainer.Hosting.Tests.Docs;

// begin-snippet: gradient-norm-options
/// <summary>Options of <c>"Type": "GradientNorm"</c>.</summary>
public sealed class GradientNormOptions
{
    [Description("Steps between log lines; each line holds the mean norm of those steps.")]
    [Range(1, 1_000_000)]
    public int LogEvery { get; set; } = 100;
}
// end-snippet
