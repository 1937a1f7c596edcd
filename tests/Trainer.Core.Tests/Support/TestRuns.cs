using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Tests.Support;

/// <summary>Small recipes and a one-call way to train them in a temporary run directory.</summary>
public static class TestRuns
{
    /// <summary>A fast digits recipe: small MLP, few epochs, large batches.</summary>
    public static RecipeOptions Digits(int epochs = 2, int batchSize = 512, int seed = 7, double dropout = 0) => new()
    {
        Name = "test",
        Data = new DataOptions { Source = "digits", ValidationFraction = 0.15 },
        Model = new ModelOptions { Kind = "mlp", Hidden = [32], BatchNorm = true, Dropout = dropout },
        Optimizer = new OptimizerOptions { Kind = "adam", LearningRate = 0.01 },
        Training = new TrainingOptions { Epochs = epochs, BatchSize = batchSize, Device = "cpu", Seed = seed },
    };

    /// <summary>Trains <paramref name="recipe"/> with <paramref name="callbacks"/> and returns the result.</summary>
    public static TrainingResult Train(RecipeOptions recipe, params TrainingCallback[] callbacks) =>
        Train(recipe, CancellationToken.None, callbacks);

    /// <summary>Trains with a cancellation token.</summary>
    public static TrainingResult Train(RecipeOptions recipe, CancellationToken cancellation, params TrainingCallback[] callbacks)
    {
        var directory = Directory.CreateTempSubdirectory("trainer-test-").FullName;
        try
        {
            using var setup = TrainingSetup.Create(recipe, directory);
            var loop = new TrainingLoop(setup, new CallbackPipeline(callbacks), new RunInfo("test-run", directory), NullLogger.Instance);
            return loop.Run(cancellation);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
