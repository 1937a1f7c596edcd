using Trainer.Recipes;

namespace Trainer.Bench;

/// <summary>The shared settings of both sides of a comparison: same data, model, batch, seed and threads.</summary>
public static class BenchSettings
{
    /// <summary>CPU threads of every child.</summary>
    public const int Threads = 2;

    /// <summary>The seed of every child.</summary>
    public const int Seed = 42;

    /// <summary>The batch size of <paramref name="model"/>'s comparison.</summary>
    public static int BatchSize(BenchModel model) => model == BenchModel.Linear ? 32 : 128;

    /// <summary>The recipe of <paramref name="model"/> (without callbacks): what both sides train.</summary>
    public static RecipeOptions Recipe(BenchModel model, int epochs) => new()
    {
        Name = $"bench-{model.ToString().ToLowerInvariant()}",
        Data = new DataOptions { Source = "fashion-mnist", ValidationFraction = 0.1, Normalize = "per-feature" },
        Model = model switch
        {
            BenchModel.Mlp => new ModelOptions { Kind = "mlp", Hidden = [256, 256], BatchNorm = true },
            BenchModel.Cnn => new ModelOptions { Kind = "cnn", Channels = [32, 64], Hidden = [128], BatchNorm = true },
            _ => new ModelOptions { Kind = "mlp", Hidden = [] },
        },
        Optimizer = new OptimizerOptions { Kind = "adam", LearningRate = 0.001 },
        Training = new TrainingOptions { Epochs = epochs, BatchSize = BatchSize(model), Device = "cpu", Seed = Seed, Threads = Threads },
    };
}
