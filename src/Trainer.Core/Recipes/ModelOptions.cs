namespace Trainer.Recipes;

/// <summary>Recipe section <c>Model</c>: the network built for the run.</summary>
public sealed class ModelOptions
{
    /// <summary>Hidden sizes used when a recipe gives none.</summary>
    public static readonly IReadOnlyList<int> DefaultHidden = [128, 64];

    /// <summary>Channels of the convolution blocks used when a CNN recipe gives none.</summary>
    public static readonly IReadOnlyList<int> DefaultChannels = [16, 32];

    /// <summary><c>mlp</c> (fully connected) or <c>cnn</c> (convolution blocks, then fully connected). Default: "mlp".</summary>
    public string Kind { get; set; } = "mlp";

    /// <summary>
    /// A model from a plugin (<see cref="Trainer.Models.IModelFactory"/>), by name; its settings go in <c>Model:Options</c>.
    /// When set, <see cref="Kind"/> is not used. Default: none.
    /// </summary>
    public string? Type { get; set; }

    /// <summary>Sizes of the hidden fully connected layers. Default: [128, 64]; an empty list means none.</summary>
    public int[]? Hidden { get; set; }

    /// <summary>For <c>cnn</c>: output channels of each 3x3 convolution block (each halves height and width). Default: [16, 32].</summary>
    public int[]? Channels { get; set; }

    /// <summary>Hidden activation: <c>relu</c>, <c>tanh</c>, <c>sigmoid</c> or <c>leaky-relu</c>. Default: "relu".</summary>
    public string Activation { get; set; } = "relu";

    /// <summary>Negative slope of <c>leaky-relu</c>. Default: 0.01.</summary>
    public double LeakySlope { get; set; } = 0.01;

    /// <summary>Batch normalisation before each hidden activation. Default: false.</summary>
    public bool BatchNorm { get; set; }

    /// <summary>Dropout probability after each hidden activation, in [0, 1). Default: 0.</summary>
    public double Dropout { get; set; }

    /// <summary>Weight initialisation: <c>he</c>, <c>xavier</c>, <c>lecun</c>, <c>normal-0.01</c> or <c>zeros</c>. Default: "he".</summary>
    public string Init { get; set; } = "he";
}
