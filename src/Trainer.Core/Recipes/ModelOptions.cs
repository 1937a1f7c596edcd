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

    /// <summary>
    /// Weights to start from instead of the initialisation alone: a model package folder (<c>RUN_DIR/model</c>), a run
    /// directory (its <c>model/</c>), a checkpoint (<c>.ckpt</c>), TorchSharp weights (<c>.dat</c>, <c>.bin</c>), a PyTorch
    /// <c>state_dict</c> (<c>.pt</c>, <c>.pth</c>, or another name for a zip such as <c>pytorch_model.bin</c>) or a <c>.safetensors</c> file; relative paths resolve against the recipe's
    /// folder. Every tensor whose name and shape match the model's is copied into the initialised model before training
    /// (not on <c>--resume</c>, which restores its checkpoint); a name with another shape is an error unless
    /// <see cref="InitFromSkip"/> names it. Default: none.
    /// </summary>
    public string? InitFrom { get; set; }

    /// <summary>
    /// With <see cref="InitFrom"/>: name patterns of tensors not to load, keeping their initialisation, e.g.
    /// <c>["layers.out.*"]</c> for an output layer with another class count. <c>*</c> matches any characters, <c>?</c> one;
    /// a pattern must match a tensor of the model or the file. Default: none.
    /// </summary>
    public string[]? InitFromSkip { get; set; }

    /// <summary>
    /// Name patterns of tensors not to train, e.g. <c>["layers.fc1.*", "layers.bn1.*"]</c>: matching parameters stay as
    /// they are and are left out of the optimizer, and a batch-norm layer with a matching tensor stays in evaluation mode,
    /// so its running statistics are fixed. Each pattern must match a tensor of the model. Default: none.
    /// </summary>
    public string[]? Freeze { get; set; }
}
