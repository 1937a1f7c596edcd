using Trainer.Hosting.Configuration;
using Trainer.Hosting.Features;
using Trainer.Hosting.Plugins;
using Trainer.Reports;

namespace Trainer.Hosting.Tests.Support;

/// <summary>Runs recipes in-process through <see cref="TrainerApplication"/> with the test callbacks in the catalog.</summary>
public static class Runner
{
    public static PluginCatalog Catalog => new PluginCatalog().Add<StopAfterCallback>().Add<NothingCallback>().Add<ScriptedMetricCallback>()
        .Add<Trainer.Plugins.Checkpoints.CheckpointCallback>();

    /// <summary>What <c>trainer</c> plugs in: PNG plots (the live display needs a terminal).</summary>
    public static RunFeatures Features { get; } = new() { Plotter = new PngPlotter() };

    public static (int ExitCode, string Errors) Run(string recipePath, params string[] overrides) =>
        Run(RecipeSource.FromFile(recipePath), null, overrides);

    public static (int ExitCode, string Errors) Run(RecipeSource recipe, string? runDirectory, params string[] overrides) =>
        Run(recipe, runDirectory, null, overrides);

    public static (int ExitCode, string Errors) Run(RecipeSource recipe, string? runDirectory, string? appSettings, params string[] overrides) =>
        Run(recipe, runDirectory, appSettings, resume: false, overrides);

    public static (int ExitCode, string Errors) Resume(string recipePath, string runDirectory, params string[] overrides) =>
        Run(RecipeSource.FromFile(recipePath), runDirectory, null, resume: true, overrides);

    private static (int ExitCode, string Errors) Run(RecipeSource recipe, string? runDirectory, string? appSettings, bool resume, string[] overrides)
    {
        var error = new StringWriter();
        var request = new RunRequest
        {
            Recipe = recipe, Overrides = overrides, RunDirectory = runDirectory, Console = false, AppSettings = appSettings, Resume = resume,
        };
        var code = new TrainerApplication(Catalog, error, Features).RunAsync(request).GetAwaiter().GetResult();
        return (code, error.ToString());
    }
}
