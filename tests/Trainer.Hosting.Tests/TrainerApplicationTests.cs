using System.Text.Json;
using Trainer.Hosting.Tests.Support;
using Trainer.Runs;

namespace Trainer.Hosting.Tests;

public sealed class TrainerApplicationTests
{
    [Test]
    public void ACompletedRunWritesLogMetricsRecipeAndSummary()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 3));

        var (code, errors) = Runner.Run(recipe);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        var run = folder.Runs.Single();
        Assert.That(Path.GetFileName(run), Does.Match(@"^hosting-test-\d{8}-\d{6}-[0-9a-f]{4}$"));
        var summary = RunSummaryFile.Read(run);
        Assert.That(summary.Status, Is.EqualTo("completed"));
        Assert.That(summary.Epochs, Is.EqualTo(3));
        Assert.That(summary.RunId, Is.EqualTo(Path.GetFileName(run)));
        Assert.That(summary.Metrics.Keys, Is.EquivalentTo(new[] { "val_loss", "val_accuracy", "test_loss", "test_accuracy", "last_val_loss", "last_val_accuracy" }));
        Assert.That(summary.BestEpoch, Is.InRange(1, 3));

        var csv = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.That(csv[0], Is.EqualTo("epoch,lr,train_loss,train_accuracy,val_loss,val_accuracy,seconds,samples_per_second"));
        Assert.That(csv.Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "1", "2", "3" }));

        var epochEvents = File.ReadAllLines(Path.Combine(run, "log.clef")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("EpochSeconds", out _)).ToList();
        Assert.That(epochEvents, Has.Count.EqualTo(3));
        foreach (var property in new[] { "RunId", "Epoch", "TrainLoss", "TrainAccuracy", "ValLoss", "ValAccuracy", "LearningRate", "SamplesPerSecond", "EpochSeconds" })
            Assert.That(epochEvents[0].TryGetProperty(property, out _), Is.True, property);
        Assert.That(epochEvents[2].GetProperty("Epoch").GetInt32(), Is.EqualTo(3));
        Assert.That(epochEvents[0].GetProperty("RunId").GetString(), Is.EqualTo(summary.RunId));

        var resolved = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "recipe.json"))).RootElement;
        Assert.That(resolved.GetProperty("Training").GetProperty("Epochs").GetInt32(), Is.EqualTo(3));

        var plots = Directory.GetFiles(Path.Combine(run, "plots")).Select(Path.GetFileName).Order().ToArray();
        Assert.That(plots, Is.EqualTo(new[] { "accuracy.png", "learning-rate.png", "loss.png" }));
        Assert.That(plots.Select(p => new FileInfo(Path.Combine(run, "plots", p!)).Length), Is.All.GreaterThan(5_000), "real pictures");
        Assert.That(resolved.GetProperty("Model").GetProperty("Hidden")[0].GetInt32(), Is.EqualTo(32));
    }

    [Test]
    public void AStopRequestIsRecordedInTheSummaryAndExitsZero()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 10,
            extra: """ "Callbacks": [ { "Type": "StopAfter", "Options": { "Epoch": 2, "Reason": "target-reached" } } ] """));

        var (code, _) = Runner.Run(recipe);

        Assert.That(code, Is.EqualTo(ExitCodes.Completed));
        var summary = RunSummaryFile.Read(folder.Runs.Single());
        Assert.That(summary.Status, Is.EqualTo("stopped-early"));
        Assert.That(summary.StopReason, Is.EqualTo("target-reached"));
        Assert.That(summary.StopMessage, Is.EqualTo("stopped after epoch 2"));
        Assert.That(summary.Epochs, Is.EqualTo(2));
        Assert.That(summary.Metrics.ContainsKey("test_accuracy"), Is.True);
    }

    [Test]
    public void InvalidValuesAreAllReportedBeforeAnythingIsWritten()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(extra: """ "Callbacks": [ { "Type": "Nope" } ] """));

        var (code, errors) = Runner.Run(recipe, "--Training:Epochs=0", "--Optimizer:LearningRate=fast", "--Training:Epoch=3");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "error: Optimizer:LearningRate 'fast' is not a number.",
            "error: Training:Epoch is not a recipe setting; settings of Training are: Epochs, BatchSize, Device, Seed, Threads, MemoryLimitMB, CudnnBenchmark, " +
            "AllowTf32, Mkldnn, TerminateOnNonFinite, NonFiniteCheckEvery.",
            "error: Training:Epochs must be at least 1 (got 0).",
            "error: Callbacks:0:Type 'Nope' is not a known callback; known: Checkpoint, Noop, ScriptedMetric, StopAfter.",
        }));
        Assert.That(folder.Runs, Is.Empty);
    }

    [Test]
    public void EveryBadValueOfASectionIsReportedNotJustTheFirst()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits());

        var (code, errors) = Runner.Run(recipe, "--Training:Epochs=abc", "--Training:BatchSize=1.5", "--Training:Seed=0", "--Model:Init=random",
            "--Model:Hidden=abc", "--Optimizer:LearningRate=-1");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), Is.EquivalentTo(new[]
        {
            "error: Training:Epochs 'abc' is not a whole number.",
            "error: Training:BatchSize '1.5' is not a whole number.",
            "error: Model:Hidden 'abc' is not a list; write it as a JSON array, e.g. [128, 64].",
            "error: Model:Init 'random' is not supported; use one of: he, xavier, lecun, normal-0.01, zeros.",
            "error: Optimizer:LearningRate must be a finite number greater than 0 (got -1).",
        }));
    }

    [Test]
    public void AMissingDataFileFailsWithExitCodeTwoAndKeepsTheRunDirectory()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("recipes/r.json", TestRecipes.Digits());
        // The recipe's own relative path resolves against the recipe's folder.
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("\"Source\": \"digits\"", "\"Source\": \"csv\", \"Path\": \"missing.csv\""));

        var (code, _) = Runner.Run(recipe);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        var run = folder.Runs.Single();
        var summary = RunSummaryFile.Read(run);
        Assert.That(summary.Status, Is.EqualTo("failed"));
        Assert.That(summary.Error, Is.EqualTo($"Data:Path file '{Path.Combine(folder.Path, "recipes", "missing.csv")}' does not exist."));
        Assert.That(File.ReadAllText(Path.Combine(run, "log.clef")), Does.Contain("does not exist"));
    }

    [Test]
    public void RelativeDataPathsResolveAgainstTheRecipeFolder()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        folder.Write("experiments/data/rows.csv", string.Join("\n", Enumerable.Range(0, 60).Select(i => $"{i % 7},{(i * 3) % 5},{i % 2}")));
        var recipe = folder.Write("experiments/r.json", TestRecipes.Digits(epochs: 1));
        Directory.SetCurrentDirectory(Path.GetTempPath());
        var runDirectory = folder.File("run");

        var (code, errors) = Runner.Run(Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), runDirectory,
            "--Data:Source=csv", "--Data:Path=data/rows.csv");

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        Assert.That(RunSummaryFile.Read(runDirectory).Status, Is.EqualTo("completed"));
    }

    [Test]
    public void ARunDirectoryThatHoldsARunIsNotOverwritten()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 1));
        var runDirectory = folder.File("mine");
        Assert.That(Runner.Run(Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), runDirectory).ExitCode, Is.EqualTo(0));
        var before = File.ReadAllText(Path.Combine(runDirectory, "metrics.csv"));

        var (code, errors) = Runner.Run(Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), runDirectory);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors, Is.EqualTo($"error: --run-dir '{runDirectory}' is not empty; choose a new or empty folder so nothing is overwritten." + Environment.NewLine));
        Assert.That(File.ReadAllText(Path.Combine(runDirectory, "metrics.csv")), Is.EqualTo(before));
    }

    [Test]
    public void EnvironmentVariablesOverrideTheRecipeAndTheCommandLineOverridesThem()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 5));
        Environment.SetEnvironmentVariable("TRAINER_Training__Epochs", "2");
        Environment.SetEnvironmentVariable("TRAINER_Model__Hidden__0", "16");
        try
        {
            Assert.That(Runner.Run(recipe).ExitCode, Is.EqualTo(0));
            Assert.That(Runner.Run(recipe, "--Training:Epochs=1").ExitCode, Is.EqualTo(0));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TRAINER_Training__Epochs", null);
            Environment.SetEnvironmentVariable("TRAINER_Model__Hidden__0", null);
        }

        var epochs = folder.Runs.Select(r => RunSummaryFile.Read(r).Epochs).Order();
        Assert.That(epochs, Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void TheRecipesSerilogSectionConfiguresTheLog()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 1, extra: """ "Serilog": { "MinimumLevel": "Warning" } """));

        Assert.That(Runner.Run(recipe).ExitCode, Is.EqualTo(0));

        Assert.That(File.ReadAllText(Path.Combine(folder.Runs.Single(), "log.clef")), Does.Not.Contain("Epoch {Epoch}"));
    }

    [Test]
    public void AppSettingsComeFirstAndTheRecipeOverridesThem()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var appSettings = folder.Write("appsettings.json", """
            { "Serilog": { "WriteTo": [ { "Name": "File", "Args": { "path": "shared.log" } } ] }, "Training": { "Epochs": 7, "Threads": 1 } }
            """);
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 1));

        var (code, _) = Runner.Run(Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), null, appSettings);

        Assert.That(code, Is.EqualTo(0));
        var run = folder.Runs.Single();
        Assert.That(RunSummaryFile.Read(run).Epochs, Is.EqualTo(1), "the recipe's Epochs wins");
        Assert.That(JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "recipe.json"))).RootElement
            .GetProperty("Training").GetProperty("Threads").GetInt32(), Is.EqualTo(1), "appsettings fills what the recipe leaves out");
        Assert.That(File.ReadAllText(folder.File("shared.log")), Does.Contain("Epoch 1/1"), "the extra sink from appsettings received events");
    }

    [Test]
    public void InvalidJsonIsReportedWithTheRecipeName()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("broken.json", "{ \"Name\": ");

        var (code, errors) = Runner.Run(recipe);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors, Does.StartWith($"error: Recipe '{recipe}' is not valid JSON:"));
        Assert.That(errors.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void ARelativeDataPathGivenOnTheCommandLineResolvesAgainstTheWorkingDirectory()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        folder.Write("data/rows.csv", string.Join("\n", Enumerable.Range(0, 60).Select(i => $"{i % 7},{(i * 3) % 5},{i % 2}")));
        var recipe = folder.Write("recipes/r.json", TestRecipes.Digits(epochs: 1));

        var (code, errors) = Runner.Run(recipe, "--Data:Source=csv", "--Data:Path=data/rows.csv");

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        var resolved = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Runs.Single(), "recipe.json"))).RootElement;
        Assert.That(resolved.GetProperty("Data").GetProperty("Path").GetString(), Is.EqualTo(Path.Combine(folder.Path, "data", "rows.csv")));
    }

    [Test]
    public void RecipeJsonHoldsTheResolvedRecipeWithDefaultsAndCallbackOptions()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 1,
            extra: """ "Callbacks": [ { "Type": "StopAfter", "Options": { "Epoch": 5 } } ], "Serilog": { "MinimumLevel": "Information" } """));

        Assert.That(Runner.Run(recipe).ExitCode, Is.EqualTo(0));

        var resolved = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Runs.Single(), "recipe.json"))).RootElement;
        Assert.That(resolved.GetProperty("Training").GetProperty("Threads").GetInt32(), Is.EqualTo(0), "defaults are written");
        Assert.That(resolved.GetProperty("Model").GetProperty("Channels").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 16, 32 }));
        Assert.That(resolved.GetProperty("Optimizer").GetProperty("Epsilon").GetDouble(), Is.EqualTo(1e-8));
        Assert.That(resolved.GetProperty("Callbacks")[0].GetProperty("Options").GetProperty("Epoch").GetInt32(), Is.EqualTo(5));
        Assert.That(resolved.GetProperty("Serilog").GetProperty("MinimumLevel").GetString(), Is.EqualTo("Information"));
    }

    [TestCase("", "error: --run-dir is empty: give a folder, or leave the option out to use runs/<run-id>.")]
    [TestCase("r.json", "error: --run-dir 'r.json' is a file; give a new or empty folder.")]
    public void AnUnusableRunDirectoryIsAClearError(string runDirectory, string expected)
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 1));

        var (code, errors) = Runner.Run(Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), runDirectory);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors, Is.EqualTo(expected + Environment.NewLine));
    }

    [Test]
    public void ABadSerilogSectionIsAnInputErrorAndNothingIsWritten()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 1));

        var (code, errors) = Runner.Run(recipe, "--Serilog:MinimumLevel=Loud");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors, Does.StartWith("error: Serilog: "));
        Assert.That(folder.Runs, Is.Empty);
    }

    [Test]
    public void StoppingTheHostInterruptsTheRunAndExits130()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("r.json", TestRecipes.Digits(epochs: 100_000));
        using var shutdown = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!(folder.Runs.FirstOrDefault() is { } run && File.Exists(Path.Combine(run, "metrics.csv")) &&
                     File.ReadLines(Path.Combine(run, "metrics.csv")).Count() >= 3))
                await Task.Delay(20);
            await shutdown.CancelAsync();
        });

        var error = new StringWriter();
        var request = new RunRequest { Recipe = Trainer.Hosting.Configuration.RecipeSource.FromFile(recipe), Console = false, AppSettings = null };
        var code = new TrainerApplication(Runner.Catalog, error).RunAsync(request, shutdown.Token).GetAwaiter().GetResult();
        watcher.GetAwaiter().GetResult();

        Assert.That(code, Is.EqualTo(ExitCodes.Interrupted));
        var summary = RunSummaryFile.Read(folder.Runs.Single());
        Assert.That(summary.Status, Is.EqualTo("interrupted"));
        Assert.That(summary.Epochs, Is.GreaterThanOrEqualTo(2));
        Assert.That(summary.Metrics.ContainsKey("test_accuracy"), Is.False);
    }

    [Test]
    public void NonFiniteMetricsAreWrittenAsNullInTheSummary()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        Directory.CreateDirectory(folder.File("s"));
        RunSummaryFile.Write(folder.File("s"), new RunSummary
        {
            Recipe = "r", RunId = "x", Status = "failed", Metrics = new Dictionary<string, double> { ["val_loss"] = double.NaN },
            SamplesPerSecond = double.PositiveInfinity,
        });

        var text = File.ReadAllText(folder.File("s/summary.json"));
        Assert.That(text, Does.Contain("\"val_loss\": null").And.Contain("\"samplesPerSecond\": null"));
        Assert.That(RunSummaryFile.Read(folder.File("s")).Metrics["val_loss"], Is.NaN);
    }
}
