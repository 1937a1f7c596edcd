using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Trainer.Cli.Tests.Support;
using Trainer.Data;
using Trainer.Hosting;
using Trainer.Hosting.Experiments;
using Trainer.Runs;

namespace Trainer.Cli.Tests;

/// <summary>
/// Every recipe in <c>recipes/</c> runs end to end through the CLI in a short version (one epoch on a few hundred
/// training examples, via command-line overrides) and leaves its summary and plots. Fashion-MNIST must be installed
/// (Debian: <c>apt-get install dataset-fashion-mnist</c>; <c>.ci/run</c> does it), or found through <c>$TRAINER_DATA</c>. An
/// <c>image-folder</c> recipe trains on a small folder that <c>recipes/tools/fashion-mnist-to-png.py</c> writes first
/// (700 images per split), which needs <c>python3</c>.
/// </summary>
public sealed class RecipeSmokeTests
{
    private static readonly string[] Short = ["--Training:Epochs=1", "--Data:TrainLimit=600"];

    /// <summary>The recipes that train a single run (no Search or Variants section).</summary>
    public static IEnumerable<string> SingleRunRecipes() => Recipes().Where(r => Kind(r) == "run");

    /// <summary>The experiment recipes (a Variants or Experiment section).</summary>
    public static IEnumerable<string> ExperimentRecipes() => Recipes().Where(r => Kind(r) == "experiment");

    /// <summary>The search recipes.</summary>
    public static IEnumerable<string> SearchRecipes() => Recipes().Where(r => Kind(r) == "search");

    [Test]
    public void EveryRecipeIsCoveredByOneOfTheSmokeTests()
    {
        Assert.That(SingleRunRecipes().Count() + ExperimentRecipes().Count() + SearchRecipes().Count(), Is.EqualTo(Recipes().Count()));
        Assert.That(ExperimentRecipes(),
            Is.SupersetOf(new[] { "optimizers.json", "initialization.json", "regularization.json", "batch-norm.json", "learning-rate-decay.json" }));
        Assert.That(SearchRecipes(), Does.Contain("fashion-mnist-search.json"));
    }

    [TestCaseSource(nameof(SingleRunRecipes))]
    public void TheRecipeRunsEndToEndAndWritesItsPlots(string name)
    {
        var recipe = Repository.Recipe(name);
        RequireData(recipe);
        using var folder = new TempFolder();

        var data = ImageFolderData(recipe, folder);
        var start = InitFromPackage(recipe, folder);

        var (code, _, error) = Run(folder.Path, ["run", recipe, "--run-dir", "run", .. Short, .. data, .. start]);

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        var summary = RunSummaryFile.Read(folder.File("run"));
        Assert.That(summary.Status, Is.EqualTo("completed").Or.EqualTo("stopped-early"));
        // The task's primary metric: accuracy for the classifiers, rmse for the diabetes regression (its own plot, rmse.png).
        var primary = Trainer.Tasks.TaskCatalog.PrimaryMetric(TaskOf(recipe));
        Assert.That(summary.Metrics[$"test_{primary}"], primary == "rmse" ? Is.GreaterThan(0.0) : Is.InRange(0.0, 1.0));
        Assert.That(Directory.GetFiles(folder.File(Path.Combine("run", "plots")), "*.png").Select(Path.GetFileName),
            Is.SupersetOf(new[] { "loss.png", primary + ".png", "learning-rate.png" }));
        AssertReport(folder, "run");
    }

    [TestCaseSource(nameof(ExperimentRecipes))]
    public void TheExperimentRunsEveryVariantAndOverlaysThem(string name)
    {
        var recipe = Repository.Recipe(name);
        RequireData(recipe);
        using var folder = new TempFolder();

        var (code, output, error) = Run(folder.Path, ["run", recipe, "--run-dir", "exp", .. Short]);

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        var record = JsonSerializer.Deserialize<ExperimentRecord>(File.ReadAllText(folder.File(Path.Combine("exp", ExperimentRecord.FileName))))!;
        Assert.That(record.Variants, Has.Count.GreaterThanOrEqualTo(2));
        foreach (var variant in record.Variants)
        {
            Assert.That(variant.Status, Is.AnyOf("completed", "stopped-early", "failed"), variant.Name);
            Assert.That(File.Exists(folder.File(Path.Combine("exp", variant.Directory, RunSummaryFile.FileName))), variant.Name);
        }
        Assert.That(record.Variants.Count(v => v.Status != "failed"), Is.GreaterThan(0));
        var csv = File.ReadAllLines(folder.File(Path.Combine("exp", ComparisonTable.FileName)));
        Assert.That(csv, Has.Length.EqualTo(record.Variants.Count + 1));
        Assert.That(File.Exists(folder.File(Path.Combine("exp", "plots", "train-loss.png"))));
        Assert.That(output, Does.Contain($"{record.Variants.Count} variants"));
        AssertReport(folder, "exp");
    }

    [TestCaseSource(nameof(SearchRecipes))]
    public void TheSearchRunsTwoTrialsAndPlotsThem(string name)
    {
        var recipe = Repository.Recipe(name);
        RequireData(recipe);
        using var folder = new TempFolder();

        var (code, output, error) = Run(folder.Path,
            ["search", recipe, "--trials", "2", "--storage", "sqlite:studies.db", "--out", "study", .. Short]);

        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error + output);
        Assert.That(Directory.GetDirectories(folder.File(Path.Combine("study", "trials"))), Has.Length.EqualTo(2));
        Assert.That(Directory.GetFiles(folder.File(Path.Combine("study", "plots")), "objective-vs-*.png"), Is.Not.Empty);
        var study = JsonDocument.Parse(File.ReadAllText(recipe)).RootElement.GetProperty("Search").GetProperty("Study").GetString()!;
        var (reportCode, _, reportError) = Run(folder.Path, ["report", "--study", study, "--storage", "sqlite:studies.db", "--html", "study.html"]);
        Assert.That(reportCode, Is.EqualTo(ExitCodes.Completed), reportError);
        Assert.That(File.ReadAllText(folder.File("study.html")), Does.Contain("<img"));
    }

    /// <summary><c>trainer report DIR</c> writes DIR/report.html with the run's pictures embedded.</summary>
    private static void AssertReport(TempFolder folder, string directory)
    {
        var (code, output, error) = Run(folder.Path, ["report", directory]);
        Assert.That(code, Is.EqualTo(ExitCodes.Completed), error);
        var report = folder.File(Path.Combine(directory, "report.html"));
        Assert.That(output.Trim(), Is.EqualTo(report));
        Assert.That(File.ReadAllText(report), Does.Contain("data:image/png;base64,"));
    }

    private static void RequireData(string recipe)
    {
        if (!File.ReadAllText(recipe).Contains("fashion-mnist", StringComparison.Ordinal)) return;
        var found = FashionMnistDataSource.DefaultFolders().Any(f => File.Exists(Path.Combine(f, "train-images-idx3-ubyte.gz")));
        Assert.That(found, Is.True,
            $"{Path.GetFileName(recipe)} needs Fashion-MNIST: run 'apt-get install dataset-fashion-mnist' (Debian) or put the four IDX files in " +
            $"$TRAINER_DATA or ~/.trainer/data/fashion-mnist. Looked in: {string.Join(", ", FashionMnistDataSource.DefaultFolders())}.");
    }

    /// <summary>
    /// For an <c>image-folder</c> recipe: writes a small Fashion-MNIST PNG folder with the repository's script (the first
    /// 700 images of each split) and returns the override that points the recipe at it; else nothing.
    /// </summary>
    private static string[] ImageFolderData(string recipe, TempFolder folder)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(recipe));
        if (!json.RootElement.TryGetProperty("Data", out var data) || !data.TryGetProperty("Source", out var source) || source.GetString() != "image-folder")
            return [];
        var idx = FashionMnistDataSource.DefaultFolders().First(f => File.Exists(Path.Combine(f, "train-images-idx3-ubyte.gz")));
        var images = folder.File("images");
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(Repository.Root, "recipes", "tools", "fashion-mnist-to-png.py"), images, "--source", idx, "--limit", "700" })
            start.ArgumentList.Add(argument);
        try
        {
            using var script = Process.Start(start)!;
            var output = script.StandardOutput.ReadToEndAsync();
            var error = script.StandardError.ReadToEnd();
            script.WaitForExit();
            Assert.That(script.ExitCode, Is.Zero, $"fashion-mnist-to-png.py failed: {error}{output.Result}");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"{Path.GetFileName(recipe)} needs python3 to write its image folder (Debian: apt-get install python3): {e.Message}");
        }
        return [$"--Data:Path={images}"];
    }

    /// <summary>
    /// A recipe that starts from a trained Fashion-MNIST model (<c>Model:InitFrom</c>) gets a stand-in model package: its
    /// own architecture for 10 classes, freshly initialised, written as weights.dat and a minimal model.json.
    /// </summary>
    private static string[] InitFromPackage(string recipe, TempFolder folder)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(recipe));
        if (!json.RootElement.TryGetProperty("Model", out var model) || !model.TryGetProperty("InitFrom", out _)) return [];
        var options = JsonSerializer.Deserialize<Trainer.Recipes.ModelOptions>(model.GetRawText(), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        using var source = Trainer.Models.ModelFactory.Create(options, [1, 28, 28], 10);
        var package = folder.File("source-model");
        Directory.CreateDirectory(package);
        source.save(Path.Combine(package, ModelPackageFiles.Weights));
        File.WriteAllText(Path.Combine(package, ModelPackageFiles.Manifest), """{ "format": 1 }""");
        return [$"--Model:InitFrom={package}"];
    }

    private static IEnumerable<string> Recipes() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "recipes"), "*.json").Select(p => Path.GetFileName(p)).Order();

    /// <summary>Experiments run many variants, each loading the data set: allow them more than a single run's time.</summary>
    private static (int ExitCode, string Output, string Error) Run(string folder, string[] args)
    {
        using var trainer = new TrainerProcess(folder, args);
        return trainer.WaitForExit(TimeSpan.FromMinutes(10));
    }

    private static Trainer.Recipes.TaskOptions? TaskOf(string recipe)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(recipe));
        return json.RootElement.TryGetProperty("Task", out var task)
            ? JsonSerializer.Deserialize<Trainer.Recipes.TaskOptions>(task.GetRawText(), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            : null;
    }

    private static string Kind(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Repository.Recipe(name)));
        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return keys.Contains("Search") ? "search" : keys.Contains("Variants") || keys.Contains("Experiment") ? "experiment" : "run";
    }
}
