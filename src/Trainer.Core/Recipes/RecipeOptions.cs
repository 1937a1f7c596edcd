namespace Trainer.Recipes;

/// <summary>A training recipe: the root of the configuration that one run is built from.</summary>
public sealed class RecipeOptions
{
    /// <summary>Name of the recipe; used in run ids and logs. Default: "recipe".</summary>
    public string Name { get; set; } = "recipe";

    /// <summary>Where the data comes from and how it is split and normalised.</summary>
    public DataOptions Data { get; set; } = new();

    /// <summary>What is predicted (classification, regression, binary, multilabel), the loss and the metrics.</summary>
    public TaskOptions Task { get; set; } = new();

    /// <summary>The network to train.</summary>
    public ModelOptions Model { get; set; } = new();

    /// <summary>The optimisation algorithm and its hyperparameters.</summary>
    public OptimizerOptions Optimizer { get; set; } = new();

    /// <summary>Epochs, batch size, device, seed and threads.</summary>
    public TrainingOptions Training { get; set; } = new();

    /// <summary>The callbacks of the run, in the order their hooks are called.</summary>
    public List<CallbackSpec> Callbacks { get; set; } = [];
}
