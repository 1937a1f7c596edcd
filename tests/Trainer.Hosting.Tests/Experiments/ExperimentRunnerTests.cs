using System.Globalization;
using Trainer.Hosting.Experiments;
using Trainer.Hosting.Tests.Support;
using Trainer.Runs;
using static Trainer.Hosting.Tests.Experiments.ExperimentRun;

namespace Trainer.Hosting.Tests.Experiments;

public sealed class ExperimentRunnerTests
{
    private const string DivergingVariant =
        """{ "Optimizer:Kind": "sgd", "Optimizer:LearningRate": 1e20, "Model:BatchNorm": false, "Training:TerminateOnNonFinite": true, "Training:NonFiniteCheckEvery": 1 }""";

    private const string TrainingSettings = "Epochs, BatchSize, Device, Seed, Threads, MemoryLimitMB, CudnnBenchmark, AllowTf32, Mkldnn, TerminateOnNonFinite, NonFiniteCheckEvery";

    [Test]
    public void AMistakeInOneVariantIsReportedBeforeAnyVariantRuns()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("e.json", Recipe("""
            "Variants": { "first": { "Optimizer:LearningRate": 0.1 }, "typo": { "Training:Epoch": 3 }, "last": { "Optimizer:LearningRate": 0.2 } }
            """));

        var (code, output, errors) = Run(recipe, runDirectory: null);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(Lines(errors), Is.EqualTo(new[]
        {
            $"error: Variants:typo: Training:Epoch is not a recipe setting; settings of Training are: {TrainingSettings}.",
        }));
        Assert.That(folder.Runs, Is.Empty, "no experiment directory, so no variant ran");
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void AMistakeEveryVariantSharesIsReportedOnceWithoutAVariantName()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("e.json", Recipe("""
            "Variants": { "a": { "Optimizer:LearningRate": 0.1 }, "b": { "Optimizer:LearningRate": -1 } }
            """, epochs: 0));
        var runDirectory = folder.File("exp");

        var (code, _, errors) = Run(recipe, runDirectory);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(Lines(errors), Is.EquivalentTo(new[]
        {
            "error: Training:Epochs must be at least 1 (got 0).",
            "error: Variants:b: Optimizer:LearningRate must be a finite number greater than 0 (got -1).",
        }));
        Assert.That(Directory.Exists(runDirectory), Is.False);
    }

    [Test]
    public void AMistakeInTheExperimentSectionsIsInvalidInput()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("e.json", Recipe(""" "Variants": { "a": 1 }, "Experiment": { "Metrics": 2 } """));

        var (code, _, errors) = Run(recipe, runDirectory: null);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(Lines(errors), Is.EquivalentTo(new[]
        {
            "error: Variants:a must be a JSON object of settings, e.g. { \"Optimizer:LearningRate\": 0.01 }.",
            "error: Experiment:Metrics must be a list of metric names, e.g. [\"val_loss\"].",
        }));
        Assert.That(folder.Runs, Is.Empty);
    }

    [Test]
    public void ANonEmptyRunDirectoryIsRefusedWithoutResume()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("e.json", Recipe(""" "Variants": { "a": {} } """, epochs: 1));
        folder.Write("exp/notes.txt", "mine");

        var (code, _, errors) = Run(recipe, folder.File("exp"));

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(Lines(errors), Is.EqualTo(new[]
        {
            $"error: --run-dir '{folder.File("exp")}' is not empty; choose a new or empty folder so nothing is overwritten.",
        }));
        Assert.That(Directory.GetFileSystemEntries(folder.File("exp")), Has.Length.EqualTo(1), "nothing written beside the existing file");
    }

    [Test]
    public void CommandLineOverridesApplyToEveryVariantAfterItsOwnSettings()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("e.json", Recipe("""
            "Variants": { "a": { "Training:Epochs": 3, "Optimizer:LearningRate": 0.05 }, "b": { "Training:Epochs": 4 } }
            """, epochs: 2));
        var runDirectory = folder.File("exp");

        var (code, _, errors) = Run(recipe, runDirectory, resume: false, "--Training:Epochs=1");

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        foreach (var name in new[] { "a", "b" })
        {
            var variant = Path.Combine(runDirectory, "variants", name);
            Assert.That(RunSummaryFile.Read(variant).Epochs, Is.EqualTo(1), name);
            Assert.That(ResolvedRecipe(variant).GetProperty("Training").GetProperty("Epochs").GetInt32(), Is.EqualTo(1), name);
            Assert.That(File.ReadAllLines(Path.Combine(variant, "metrics.csv")), Has.Length.EqualTo(2), $"{name}: header and one epoch");
        }
        Assert.That(ResolvedRecipe(Path.Combine(runDirectory, "variants", "a")).GetProperty("Optimizer").GetProperty("LearningRate").GetDouble(),
            Is.EqualTo(0.05), "the variant's other settings still apply");
        Assert.That(Variants(runDirectory).Select(v => v.GetProperty("Epochs").GetInt32()), Is.EqualTo(new[] { 1, 1 }));
    }

    [Test]
    public void AVariantThatFailsInTrainingIsAResultAndTheOthersStillRun()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("e.json", Recipe($$"""
            "Variants": { "steady": { "Optimizer:LearningRate": 0.01 }, "diverges": {{DivergingVariant}}, "after": { "Optimizer:LearningRate": 0.02 } }
            """));
        var runDirectory = folder.File("exp");

        var (code, output, _) = Run(recipe, runDirectory);

        Assert.That(code, Is.EqualTo(ExitCodes.Completed));
        var variants = Variants(runDirectory);
        Assert.That(variants.Select(v => v.GetProperty("Status").GetString()), Is.EqualTo(new[] { "completed", "failed", "completed" }));
        Assert.That(variants.Select(v => v.GetProperty("ExitCode").GetInt32()), Is.EqualTo(new[] { ExitCodes.Completed, ExitCodes.Failed, ExitCodes.Completed }));
        var failed = RunSummaryFile.Read(Path.Combine(runDirectory, "variants", "diverges"));
        Assert.That(failed.Status, Is.EqualTo("failed"));
        Assert.That(failed.Error, Does.StartWith("The training loss became NaN or infinite at step "), "the loss really became non-finite");
        Assert.That(variants[1].GetProperty("Error").GetString(), Is.EqualTo(failed.Error));
        Assert.That(variants[0].GetProperty("Error").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));

        var rows = Csv(Path.Combine(runDirectory, ComparisonTable.FileName));
        Assert.That(rows.Skip(1).Select(r => (r[0], r[1])), Is.EqualTo(new[] { ("steady", "completed"), ("diverges", "failed"), ("after", "completed") }));
        Assert.That(output, Does.Contain($"diverges: {failed.Error}"), "the console table names why the variant failed");
    }

    [Test]
    public void WhenEveryVariantFailsTheExitCodeIsOne()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("e.json", Recipe($$"""
            "Variants": { "one": {{DivergingVariant}}, "two": {{DivergingVariant}} }
            """));
        var runDirectory = folder.File("exp");

        var (code, _, _) = Run(recipe, runDirectory);

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(Variants(runDirectory).Select(v => v.GetProperty("Status").GetString()), Is.EqualTo(new[] { "failed", "failed" }));
        Assert.That(File.ReadAllLines(Path.Combine(runDirectory, ComparisonTable.FileName)), Has.Length.EqualTo(3), "the table is still written");
    }

    [Test]
    public void ResumingKeepsFinishedVariantsAndRerunsAMissingOne()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("e.json", Recipe("""
            "Variants": { "a": { "Optimizer:LearningRate": 0.01 }, "b": { "Optimizer:LearningRate": 0.02 } }
            """, epochs: 1));
        var runDirectory = folder.File("exp");
        Assert.That(Run(recipe, runDirectory).Code, Is.EqualTo(ExitCodes.Completed));
        var a = Path.Combine(runDirectory, "variants", "a");
        var b = Path.Combine(runDirectory, "variants", "b");
        var aSummary = File.ReadAllText(Path.Combine(a, RunSummaryFile.FileName));
        var aMetrics = File.ReadAllText(Path.Combine(a, "metrics.csv"));
        var bStarted = RunSummaryFile.Read(b).StartedAt;
        Directory.Delete(b, recursive: true);

        var (code, output, errors) = Run(recipe, runDirectory, resume: true);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        Assert.That(File.ReadAllText(Path.Combine(a, RunSummaryFile.FileName)), Is.EqualTo(aSummary), "a was kept, not retrained");
        Assert.That(File.ReadAllText(Path.Combine(a, "metrics.csv")), Is.EqualTo(aMetrics));
        Assert.That(output, Does.Contain("[1/2] a: kept (completed)"));
        Assert.That(output, Does.Contain("[2/2] b: Optimizer:LearningRate=0.02"));
        Assert.That(RunSummaryFile.Read(b).Status, Is.EqualTo("completed"));
        Assert.That(RunSummaryFile.Read(b).StartedAt, Is.GreaterThan(bStarted), "b trained again");
        var variants = Variants(runDirectory);
        Assert.That(variants.Select(v => v.GetProperty("Status").GetString()), Is.EqualTo(new[] { "completed", "completed" }));
        Assert.That(variants[0].GetProperty("Epochs").GetInt32(), Is.EqualTo(1), "the kept variant's results are read back");
        Assert.That(variants[0].GetProperty("BestObjective").GetDouble(), Is.EqualTo(Column(Path.Combine(a, "metrics.csv"), "val_accuracy").Max()).Within(1e-12));
    }

    [Test]
    public void ResumingSetsAsideAVariantFolderWithNothingToResumeFrom()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("e.json", Recipe(""" "Variants": { "a": { "Optimizer:LearningRate": 0.01 } } """, epochs: 1));
        var runDirectory = folder.File("exp");
        folder.Write("exp/variants/a/partial.txt", "what a crashed attempt left");

        var (code, _, errors) = Run(recipe, runDirectory, resume: true);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        Assert.That(RunSummaryFile.Read(Path.Combine(runDirectory, "variants", "a")).Status, Is.EqualTo("completed"));
        var aside = Directory.GetDirectories(Path.Combine(runDirectory, "variants"), "a.incomplete-*").Single();
        Assert.That(File.ReadAllText(Path.Combine(aside, "partial.txt")), Is.EqualTo("what a crashed attempt left"), "never deleted");
    }

    [Test]
    public void ResumeNeedsARunDirectory()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("e.json", Recipe(""" "Variants": { "a": {} } """, epochs: 1));

        var (code, _, errors) = Run(recipe, runDirectory: null, resume: true);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(Lines(errors), Is.EqualTo(new[] { "error: --resume needs --run-dir: name the run directory to continue." }));
    }

    [Test]
    public void TheBestObjectiveIsTheMinimumForALoss()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("e.json", Recipe("""
            "Variants": { "a": { "Optimizer:LearningRate": 0.01 } }, "Experiment": { "Objective": "val_loss" }
            """, epochs: 3));
        var runDirectory = folder.File("exp");

        var (code, _, _) = Run(recipe, runDirectory);

        Assert.That(code, Is.EqualTo(ExitCodes.Completed));
        var losses = Column(Path.Combine(runDirectory, "variants", "a", "metrics.csv"), "val_loss");
        var variant = Variants(runDirectory).Single();
        Assert.That(variant.GetProperty("BestObjective").GetDouble(), Is.EqualTo(losses.Min()).Within(1e-12));
        Assert.That(variant.GetProperty("BestObjectiveEpoch").GetInt32(), Is.EqualTo(Array.IndexOf(losses, losses.Min()) + 1));
        var rows = Csv(Path.Combine(runDirectory, ComparisonTable.FileName));
        Assert.That(rows[0][3], Is.EqualTo("best_val_loss"));
        Assert.That(double.Parse(rows[1][3], CultureInfo.InvariantCulture), Is.EqualTo(losses.Min()).Within(5e-5));
        Assert.That(File.Exists(Path.Combine(runDirectory, "plots", "val-loss.png")), Is.True);
    }

    [Test]
    public void AMissingDataFileStopsTheExperimentAtTheFirstVariantWithExitCodeTwo()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("e.json", Recipe("""
            "Variants": { "a": { "Data": { "Source": "csv", "Path": "missing.csv" } }, "b": { "Data": { "Source": "csv", "Path": "missing.csv" } } }
            """));
        var runDirectory = folder.File("exp");

        var (code, _, errors) = Run(recipe, runDirectory);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), errors);
        Assert.That(Variants(runDirectory).Select(v => v.GetProperty("Status").GetString()), Is.EqualTo(new[] { "failed", ExperimentVariantRecord.NotRun }));
        Assert.That(Variants(runDirectory)[0].GetProperty("Error").GetString(), Does.Contain("missing.csv"));
        Assert.That(Directory.Exists(Path.Combine(runDirectory, "variants", "b")), Is.False, "the second variant never started");
    }
}
