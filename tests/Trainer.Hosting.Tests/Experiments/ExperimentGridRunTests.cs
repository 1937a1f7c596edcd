using System.Globalization;
using System.Text.Json;
using Trainer.Hosting.Experiments;
using Trainer.Hosting.Tests.Support;
using Trainer.Runs;
using static Trainer.Hosting.Tests.Experiments.ExperimentRun;

namespace Trainer.Hosting.Tests.Experiments;

/// <summary>One experiment of 2 variants × 2 learning rates on digits, run once; each test checks one of its outputs.</summary>
public sealed class ExperimentGridRunTests
{
    private static readonly (string Name, string Folder, string Kind, double Rate)[] Expected =
    [
        ("adam LearningRate=0.1", "adam_LearningRate=0.1", "adam", 0.1),
        ("adam LearningRate=0.01", "adam_LearningRate=0.01", "adam", 0.01),
        ("sgd LearningRate=0.1", "sgd_LearningRate=0.1", "sgd", 0.1),
        ("sgd LearningRate=0.01", "sgd_LearningRate=0.01", "sgd", 0.01),
    ];

    private TempFolder folder = null!;
    private string runDirectory = null!;
    private int code;
    private string output = null!;
    private string errors = null!;

    [OneTimeSetUp]
    public void RunTheExperiment()
    {
        folder = TempFolder.AsWorkingDirectory();
        var recipe = folder.Write("grid.json", Recipe("""
            "Variants": { "adam": { "Optimizer:Kind": "adam" }, "sgd": { "Optimizer": { "Kind": "sgd" } } },
            "Experiment": { "Grid": { "Optimizer:LearningRate": [0.1, 0.01] } }
            """, epochs: 2));
        runDirectory = folder.File("exp");
        (code, output, errors) = Run(recipe, runDirectory);
    }

    [OneTimeTearDown]
    public void RemoveTheFolder() => folder.Dispose();

    private string VariantDirectory(int i) => Path.Combine(runDirectory, ExperimentRunner.VariantsFolder, Expected[i].Folder);

    [Test]
    public void EveryVariantCompletesAndTheExperimentExitsZero()
    {
        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        Assert.That(output, Does.StartWith($"Experiment 'experiment-test': 4 variants in {runDirectory}"));
        Assert.That(output, Does.Contain("[3/4] sgd LearningRate=0.1: Optimizer:Kind=\"sgd\", Optimizer:LearningRate=0.1"));
    }

    [Test]
    public void ExperimentJsonListsTheVariantsInOrderWithTheirOverridesAndStatus()
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, ExperimentRecord.FileName))).RootElement;
        Assert.That(root.GetProperty("Name").GetString(), Is.EqualTo("experiment-test"));
        Assert.That(root.GetProperty("Objective").GetString(), Is.EqualTo("val_accuracy"));
        var variants = Variants(runDirectory);
        Assert.That(variants.Select(v => v.GetProperty("Name").GetString()), Is.EqualTo(Expected.Select(e => e.Name)));
        for (var i = 0; i < Expected.Length; i++)
        {
            var variant = variants[i];
            Assert.That(variant.GetProperty("Status").GetString(), Is.EqualTo("completed"), Expected[i].Name);
            Assert.That(variant.GetProperty("ExitCode").GetInt32(), Is.EqualTo(ExitCodes.Completed), Expected[i].Name);
            Assert.That(variant.GetProperty("Epochs").GetInt32(), Is.EqualTo(2), Expected[i].Name);
            Assert.That(variant.GetProperty("Directory").GetString(), Is.EqualTo($"variants/{Expected[i].Folder}"), Expected[i].Name);
            var overrides = variant.GetProperty("Overrides");
            Assert.That(overrides.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "Optimizer:Kind", "Optimizer:LearningRate" }));
            Assert.That(overrides.GetProperty("Optimizer:Kind").GetString(), Is.EqualTo(Expected[i].Kind), Expected[i].Name);
            Assert.That(overrides.GetProperty("Optimizer:LearningRate").GetDouble(), Is.EqualTo(Expected[i].Rate), Expected[i].Name);
        }
    }

    [Test]
    public void EachVariantIsARunWithItsOwnSettings()
    {
        for (var i = 0; i < Expected.Length; i++)
        {
            var directory = VariantDirectory(i);
            Assert.That(RunSummaryFile.Read(directory).Status, Is.EqualTo("completed"), Expected[i].Name);
            var optimizer = ResolvedRecipe(directory).GetProperty("Optimizer");
            Assert.That(optimizer.GetProperty("Kind").GetString(), Is.EqualTo(Expected[i].Kind), Expected[i].Name);
            Assert.That(optimizer.GetProperty("LearningRate").GetDouble(), Is.EqualTo(Expected[i].Rate), Expected[i].Name);
            Assert.That(Column(Path.Combine(directory, "metrics.csv"), "lr"), Is.All.EqualTo(Expected[i].Rate).Within(1e-7),
                $"{Expected[i].Name} trained at its own rate");
        }
    }

    [Test]
    public void TheComparisonTableHasARowPerVariantComputedFromItsMetrics()
    {
        var rows = Csv(Path.Combine(runDirectory, ComparisonTable.FileName));
        Assert.That(rows[0], Is.EqualTo(new[]
        {
            "variant", "status", "epochs", "best_val_accuracy", "best_epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy",
            "test_accuracy", "gap", "seconds",
        }));
        Assert.That(rows, Has.Length.EqualTo(5));
        for (var i = 0; i < Expected.Length; i++)
        {
            var row = rows[i + 1];
            double Cell(int column) => double.Parse(row[column], CultureInfo.InvariantCulture);
            var metrics = Path.Combine(VariantDirectory(i), "metrics.csv");
            var valAccuracy = Column(metrics, "val_accuracy");
            var trainAccuracy = Column(metrics, "train_accuracy");
            Assert.That((row[0], row[1], row[2]), Is.EqualTo((Expected[i].Name, "completed", "2")));
            // Cells are rounded to 4 decimals.
            Assert.That(Cell(3), Is.EqualTo(valAccuracy.Max()).Within(5e-5), $"{Expected[i].Name}: best val_accuracy");
            Assert.That(int.Parse(row[4], CultureInfo.InvariantCulture), Is.EqualTo(Array.IndexOf(valAccuracy, valAccuracy.Max()) + 1), Expected[i].Name);
            Assert.That(Cell(5), Is.EqualTo(Column(metrics, "train_loss")[^1]).Within(5e-5), $"{Expected[i].Name}: last train_loss");
            Assert.That(Cell(8), Is.EqualTo(valAccuracy[^1]).Within(5e-5), $"{Expected[i].Name}: last val_accuracy");
            Assert.That(Cell(9), Is.EqualTo(RunSummaryFile.Read(VariantDirectory(i)).Metrics["test_accuracy"]).Within(5e-5), Expected[i].Name);
            Assert.That(Cell(10), Is.EqualTo(trainAccuracy[^1] - valAccuracy[^1]).Within(5e-5), $"{Expected[i].Name}: gap = train − val accuracy");
        }
    }

    [Test]
    public void ThePlotsOverlayEveryMetricAndShowTheSweep()
    {
        var plots = Path.Combine(runDirectory, "plots");
        Assert.That(Directory.GetFiles(plots).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[]
        {
            "lr.png", "train-accuracy.png", "train-loss.png", "val-accuracy-vs-learningrate.png", "val-accuracy.png", "val-loss.png",
        }));
        Assert.That(Directory.GetFiles(plots).Select(p => new FileInfo(p).Length), Is.All.GreaterThan(5_000), "real pictures");
    }
}
