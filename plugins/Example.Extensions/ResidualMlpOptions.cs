using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Example.Extensions;

/// <summary>Options of <c>"Model": { "Type": "ResidualMlp", "Options": { … } }</c>.</summary>
public sealed class ResidualMlpOptions
{
    /// <summary>Units of every hidden layer. Default: 128.</summary>
    [Description("Units of every hidden layer.")]
    [Range(1, 65536)]
    public int Width { get; set; } = 128;

    /// <summary>Residual blocks (each Linear-BatchNorm-ReLU-Linear-BatchNorm plus the skip). Default: 2.</summary>
    [Description("Residual blocks.")]
    [Range(0, 256)]
    public int Blocks { get; set; } = 2;
}
