using System.ComponentModel.DataAnnotations;
// This project's global using of NUnit.Framework has attributes of the same names; a plugin project needs no aliases.
using DescriptionAttribute = System.ComponentModel.DescriptionAttribute;
using RangeAttribute = System.ComponentModel.DataAnnotations.RangeAttribute;

namespace Trainer.Hosting.Tests.Docs;

// begin-snippet: model-options
/// <summary>Options of <c>"Model": { "Type": "WideMlp" }</c>.</summary>
public sealed class WideMlpOptions
{
    [Description("Units of the hidden layer.")]
    [Range(1, 65536)]
    public int Width { get; set; } = 256;
}
// end-snippet
