using Microsoft.Extensions.Logging.Abstractions;
using Trainer.Callbacks;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Plugins;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>Runs for the guide's examples: the Core loop on the digits, or a recipe through <see cref="TrainerApplication"/>.</summary>
internal static class DocsRun
{
    /// <summary>The built-in catalog of these tests plus the guide's callbacks, model and data source.</summary>
    public static PluginCatalog Catalog => Support.Runner.Catalog
        .Add<GradientNormCallback>().Add<PlateauStopCallback>().AddModel(typeof(WideMlpModelFactory)).AddDataSource(typeof(SpiralsDataSource));

    // begin-snippet: train-digits
    /// <summary>Trains a small MLP on the embedded digits for <paramref name="epochs"/> epochs with <paramref name="callbacks"/>.</summary>
    public static TrainingResult TrainDigits(int epochs, params TrainingCallback[] callbacks)
    {
        var recipe = new RecipeOptions
        {
            Name = "callback-test",
            Data = new DataOptions { Source = "digits" },
            Model = new ModelOptions { Kind = "mlp", Hidden = [32] },
            Training = new TrainingOptions { Epochs = epochs, BatchSize = 256, Device = "cpu", Seed = 1 },
        };
        var directory = Directory.CreateTempSubdirectory("callback-test-").FullName;
        try
        {
            using var setup = TrainingSetup.Create(recipe, directory);
            // The pipeline is not disposed: the test owns its callbacks and disposes those that are IDisposable.
            var loop = new TrainingLoop(setup, new CallbackPipeline(callbacks), new RunInfo("callback-test", directory), NullLogger.Instance);
            return loop.Run(CancellationToken.None);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
    // end-snippet

    /// <summary>Runs (or resumes) a recipe file in-process with <see cref="Catalog"/>; <paramref name="extra"/> run after the recipe's callbacks.</summary>
    public static (int ExitCode, string Errors) Recipe(string recipePath, string runDirectory, IReadOnlyList<TrainingCallback>? extra = null,
        bool resume = false, PluginCatalog? catalog = null, params string[] overrides)
    {
        var error = new StringWriter();
        var request = new RunRequest
        {
            Recipe = RecipeSource.FromFile(recipePath), RunDirectory = runDirectory, Overrides = overrides, Console = false,
            AppSettings = null, Resume = resume, ExtraCallbacks = extra ?? [],
        };
        var code = new TrainerApplication(catalog ?? Catalog, error).RunAsync(request).GetAwaiter().GetResult();
        return (code, error.ToString());
    }
}
