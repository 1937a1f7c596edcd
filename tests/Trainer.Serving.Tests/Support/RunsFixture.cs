using System.Diagnostics;
using Trainer.Hosting;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Features;
using Trainer.Hosting.Plugins;
using Trainer.Reports;
using Trainer.Search;

namespace Trainer.Serving.Tests.Support;

/// <summary>
/// A runs folder made once for every dashboard test, by the real trainer in this process: two quickstart runs
/// (3 epochs at lr 0.001, 2 epochs at lr 0.01), a run still "in progress" (recipe and metrics only, a NaN validation
/// loss), and a 4-trial search of recipes/digits-search.json (2 epochs each) in runs/studies.db.
/// </summary>
public static class RunsFixture
{
    private static readonly RunFeatures Features = new() { Plotter = new PngPlotter() };

    public const string Study = "digits-search";
    public const int SlowEpochs = 3;
    public const int FastEpochs = 2;
    public const int Trials = 4;

    private static readonly Lazy<string> Folder = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The runs folder.</summary>
    public static string Runs => Folder.Value;

    /// <summary>Deletes the folder (from the assembly's one-time teardown).</summary>
    public static void Delete()
    {
        if (Folder.IsValueCreated) Directory.Delete(Path.GetDirectoryName(Folder.Value)!, recursive: true);
    }

    private static string Create()
    {
        var clock = Stopwatch.StartNew();
        var root = Directory.CreateTempSubdirectory("trainer-serving-").FullName;
        var runs = Path.Combine(root, "runs");
        var catalog = PluginCatalog.FromApplicationDirectory();
        Run(catalog, Path.Combine(runs, "quick-slow"), $"--Training:Epochs={SlowEpochs}", "--Optimizer:LearningRate=0.001");
        Run(catalog, Path.Combine(runs, "quick-fast"), $"--Training:Epochs={FastEpochs}", "--Optimizer:LearningRate=0.01");

        var partial = Directory.CreateDirectory(Path.Combine(runs, "still-training")).FullName;
        File.Copy(Path.Combine(runs, "quick-fast", "recipe.json"), Path.Combine(partial, "recipe.json"));
        File.WriteAllText(Path.Combine(partial, "metrics.csv"), "epoch,lr,train_loss,train_accuracy,val_loss,val_accuracy,seconds\n1,0.01,0.9,0.7,NaN,0.6,0.5\n");

        var error = new StringWriter();
        var code = new SearchRunner(catalog, TextWriter.Null, error, Features, new PngPlotter()).RunAsync(new SearchRequest
        {
            Recipe = RecipeSource.FromFile(Repository.Recipe("digits-search.json")), Trials = Trials,
            Overrides = ["--Training:Epochs=2", "--Training:Device=cpu"],
            Storage = $"sqlite:{Path.Combine(runs, "studies.db")}", OutDirectory = Path.Combine(runs, "studies", Study),
        }).GetAwaiter().GetResult();
        Assert.That((code, error.ToString()), Is.EqualTo((ExitCodes.Completed, "")), "the search fixture");
        TestContext.Progress.WriteLine($"runs fixture: 2 runs and a {Trials}-trial search in {clock.Elapsed.TotalSeconds:F1} s");
        return runs;
    }

    private static void Run(PluginCatalog catalog, string directory, params string[] overrides)
    {
        var error = new StringWriter();
        var code = new TrainerApplication(catalog, error, Features).RunAsync(new RunRequest
        {
            Recipe = RecipeSource.FromFile(Repository.Recipe("quickstart.json")), RunDirectory = directory, Console = false,
            Overrides = [.. overrides, "--Training:Device=cpu"],
        }).GetAwaiter().GetResult();
        Assert.That((code, error.ToString()), Is.EqualTo((ExitCodes.Completed, "")), $"the fixture run {directory}");
    }
}
