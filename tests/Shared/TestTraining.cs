using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Checkpoints;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Tests.Shared;

/// <summary>Small digits recipes and one way to train them with the Core loop, for every test project (tests/Shared).</summary>
public static class TestTraining
{
    /// <summary>A fast digits recipe: an MLP with one batch-normalised hidden layer of 32, Adam, large batches.</summary>
    public static RecipeOptions Digits(int epochs = 2, int batchSize = 512, int seed = 7, double dropout = 0, double learningRate = 0.01) => new()
    {
        Name = "test",
        Data = new DataOptions { Source = "digits", ValidationFraction = 0.15 },
        Model = new ModelOptions { Kind = "mlp", Hidden = [32], BatchNorm = true, Dropout = dropout },
        Optimizer = new OptimizerOptions { Kind = "adam", LearningRate = learningRate },
        Training = new TrainingOptions { Epochs = epochs, BatchSize = batchSize, Device = "cpu", Seed = seed },
    };

    /// <summary>Trains <paramref name="recipe"/> with <paramref name="callbacks"/> in a temporary run directory.</summary>
    public static TrainingResult Train(RecipeOptions recipe, params TrainingCallback[] callbacks) =>
        Train(recipe, null, NullLogger.Instance, CancellationToken.None, callbacks);

    /// <summary>Trains until <paramref name="cancellation"/> interrupts the run.</summary>
    public static TrainingResult Train(RecipeOptions recipe, CancellationToken cancellation, params TrainingCallback[] callbacks) =>
        Train(recipe, null, NullLogger.Instance, cancellation, callbacks);

    /// <summary>Trains and lets <paramref name="inspect"/> look at the set-up (model, data) before it is disposed.</summary>
    public static TrainingResult Train(RecipeOptions recipe, Action<TrainingSetup>? inspect, params TrainingCallback[] callbacks) =>
        Train(recipe, inspect, NullLogger.Instance, CancellationToken.None, callbacks);

    /// <summary>Trains, logging to <paramref name="logger"/>.</summary>
    public static TrainingResult Train(RecipeOptions recipe, Action<TrainingSetup>? inspect, ILogger logger, params TrainingCallback[] callbacks) =>
        Train(recipe, inspect, logger, CancellationToken.None, callbacks);

    private static TrainingResult Train(RecipeOptions recipe, Action<TrainingSetup>? inspect, ILogger logger, CancellationToken cancellation,
        TrainingCallback[] callbacks)
    {
        var directory = Directory.CreateTempSubdirectory("trainer-test-").FullName;
        try
        {
            return TrainIn(directory, recipe, inspect, logger, cancellation, null, callbacks);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Trains in <paramref name="directory"/> (kept), optionally resuming from a checkpoint.</summary>
    public static TrainingResult TrainIn(string directory, RecipeOptions recipe, Action<TrainingSetup>? inspect, ILogger logger,
        CancellationToken cancellation, TrainingCheckpoint? resume, params TrainingCallback[] callbacks)
    {
        using var setup = TrainingSetup.Create(recipe, directory);
        var pipeline = new CallbackPipeline(callbacks); // the tests own and dispose their callbacks
        var result = new TrainingLoop(setup, pipeline, new RunInfo("test-run", directory), logger).Run(cancellation, resume);
        inspect?.Invoke(setup);
        if (result.Status == RunStatus.Failed) TestContext.Progress.WriteLine($"The run failed: {result.FailureMessage}\n{result.Exception}");
        return result;
    }
}
