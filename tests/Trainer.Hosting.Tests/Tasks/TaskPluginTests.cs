using System.Globalization;
using System.Text.Json;
using Trainer.Hosting.Plugins;
using Trainer.Hosting.Tests.Docs;
using Trainer.Runs;

namespace Trainer.Hosting.Tests.Tasks;

/// <summary>A loss and a metric from a plugin assembly, named in a recipe's Task section, train a regression on a CSV table.</summary>
public sealed class TaskPluginTests
{
    private static string Recipe(string loss, string metric) => $$"""
        {
          "Name": "plugin-task",
          "Data": { "Source": "csv", "Path": "{{Repository.Recipe("data/diabetes-train.csv").Replace("\\", "/")}}",
                    "TestPath": "{{Repository.Recipe("data/diabetes-test.csv").Replace("\\", "/")}}", "Target": "progression", "ValidationFraction": 0.2 },
          "Task": { "Kind": "regression", "Loss": "{{loss}}", "Metrics": ["mae", "{{metric}}"] },
          "Model": { "Kind": "mlp", "Hidden": [16] },
          "Optimizer": { "Kind": "adam", "LearningRate": 0.01 },
          "Training": { "Epochs": 5, "BatchSize": 32, "Device": "cpu", "Seed": 1 }
        }
        """;

    [Test]
    public void APluginLossAndMetricAreNamedInTheTaskAndTrain()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        File.WriteAllText(folder.File("recipe.json"), Recipe("log-cosh", "maxerror"));
        var run = folder.File("run");

        var (code, errors) = DocsRun.Recipe(folder.File("recipe.json"), run, catalog: new PluginCatalog(),
            overrides: [$"--Plugins:0={typeof(TaskPluginTests).Assembly.Location}"]);

        Assert.That((code, errors), Is.EqualTo((ExitCodes.Completed, "")));
        var task = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, RunFiles.Task))).RootElement;
        Assert.That(task.GetProperty("loss").GetString(), Is.EqualTo("log-cosh"));
        var summary = RunSummaryFile.Read(run);
        // The largest error of the test split is at least its mean error, and in the target's units (progression spans 25–346).
        Assert.That(summary.Metrics["test_MaxError"], Is.GreaterThan(summary.Metrics["test_mae"]).And.LessThan(400));
        var header = File.ReadLines(Path.Combine(run, RunFiles.Metrics)).First().Split(',');
        Assert.That(header, Does.Contain("val_MaxError").And.Contain("train_MaxError"));
        var losses = File.ReadLines(Path.Combine(run, RunFiles.Metrics)).Skip(1)
            .Select(l => double.Parse(l.Split(',')[Array.IndexOf(header, "train_loss")], CultureInfo.InvariantCulture)).ToList();
        Assert.That(losses[^1], Is.LessThan(losses[0]), "log-cosh falls as it trains");
    }

    [Test]
    public void AnUnknownLossOrMetricIsOneLineListingThePluginsToo()
    {
        using var folder = TempFolder.AsWorkingDirectory();
        File.WriteAllText(folder.File("recipe.json"), Recipe("logcosh", "max"));

        var (code, errors) = DocsRun.Recipe(folder.File("recipe.json"), folder.File("run"), catalog: new PluginCatalog(),
            overrides: [$"--Plugins:0={typeof(TaskPluginTests).Assembly.Location}"]);

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(errors, Does.Contain("Task:Loss 'logcosh' is not known; use one of: bce, cross-entropy, huber, l1, log-cosh, mse."));
        Assert.That(errors, Does.Contain("Task:Metrics:1 'max' is not known; use one of: ").And.Contain("MaxError"));
        Assert.That(Directory.Exists(folder.File("run")), Is.False, "nothing is written for a recipe that does not check out");
    }
}
