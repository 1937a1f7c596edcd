using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Plugins.Tests.Support;

/// <summary>Trains small digits recipes with plugin callbacks and lets a test look at the model afterwards.</summary>
public static class PluginRun
{
    public static RecipeOptions Digits(int epochs, int batchSize = 512, double learningRate = 0.01) => new()
    {
        Name = "plugin-test",
        Data = new DataOptions { Source = "digits", ValidationFraction = 0.15 },
        Model = new ModelOptions { Kind = "mlp", Hidden = [32], BatchNorm = true },
        Optimizer = new OptimizerOptions { Kind = "adam", LearningRate = learningRate },
        Training = new TrainingOptions { Epochs = epochs, BatchSize = batchSize, Device = "cpu", Seed = 3 },
    };

    public static TrainingResult Train(RecipeOptions recipe, params TrainingCallback[] callbacks) => Train(recipe, null, callbacks);

    public static TrainingResult Train(RecipeOptions recipe, Action<TrainingSetup>? inspect, params TrainingCallback[] callbacks) =>
        Train(recipe, inspect, NullLogger.Instance, callbacks);

    public static TrainingResult Train(RecipeOptions recipe, Action<TrainingSetup>? inspect, Microsoft.Extensions.Logging.ILogger logger,
        params TrainingCallback[] callbacks)
    {
        var directory = Directory.CreateTempSubdirectory("trainer-plugin-").FullName;
        try
        {
            return TrainIn(directory, recipe, inspect, logger, CancellationToken.None, null, callbacks);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Trains in <paramref name="directory"/> (kept), optionally resuming from a checkpoint.</summary>
    public static TrainingResult TrainIn(string directory, RecipeOptions recipe, Action<TrainingSetup>? inspect, Microsoft.Extensions.Logging.ILogger logger,
        CancellationToken cancellation, Trainer.Checkpoints.TrainingCheckpoint? resume, params TrainingCallback[] callbacks)
    {
        {
            using var setup = TrainingSetup.Create(recipe, directory);
            var pipeline = new CallbackPipeline(callbacks); // the tests own and dispose their callbacks
            var result = new TrainingLoop(setup, pipeline, new RunInfo("plugin-test", directory), logger).Run(cancellation, resume);
            inspect?.Invoke(setup);
            if (result.Status == RunStatus.Failed) TestContext.Progress.WriteLine($"The run failed: {result.FailureMessage}\n{result.Exception}");
            return result;
        }
    }
}
