using Trainer.Reports;
using System.Text.Json;
using Trainer.Hosting.Runs;
using Trainer.Runs;
using Trainer.Training;

namespace Trainer.Hosting.Tests.Support;

/// <summary>Writes run and experiment directories as trainer writes them, without training anything.</summary>
public static class SyntheticRun
{
    /// <summary>A run directory with summary.json, metrics.csv, recipe.json, log.clef and real plots of <paramref name="epochs"/> epochs.</summary>
    public static string Write(string directory, string recipe = "synthetic", int epochs = 4, string status = "completed",
        IReadOnlyDictionary<string, double>? metrics = null, string? stopMessage = null, string? logLines = null)
    {
        Directory.CreateDirectory(directory);
        var history = Enumerable.Range(1, epochs).Select(e => new EpochMetrics(e, 0.01 * e, 1000, new Dictionary<string, double>
        {
            [MetricNames.LearningRate] = 0.001, [MetricNames.TrainLoss] = 1.0 / e, [MetricNames.TrainAccuracy] = 1 - 0.5 / e,
            [MetricNames.ValLoss] = 1.2 / e, [MetricNames.ValAccuracy] = 1 - 0.6 / e,
        })).ToList();
        using (var csv = new MetricsCsvWriter(Path.Combine(directory, "metrics.csv")))
            foreach (var epoch in history) csv.Write(epoch);
        RunPlots.Write(directory, history);
        RunSummaryFile.Write(directory, new RunSummary
        {
            Recipe = recipe, RunId = Path.GetFileName(directory), Status = status, Epochs = epochs, BestEpoch = epochs,
            StopReason = stopMessage is null ? null : "patience-exhausted", StopMessage = stopMessage,
            Metrics = metrics ?? new Dictionary<string, double> { ["val_loss"] = 1.2 / epochs, ["val_accuracy"] = 1 - 0.6 / epochs, ["test_accuracy"] = 0.9 },
            Device = "cpu", StartedAt = new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero), DurationSeconds = 3.5, SamplesPerSecond = 12345.6,
        });
        File.WriteAllText(Path.Combine(directory, "recipe.json"), JsonSerializer.Serialize(new { Name = recipe, Training = new { Epochs = epochs } }));
        File.WriteAllText(Path.Combine(directory, "log.clef"), logLines ??
            """{"@t":"2026-11-23T13:00:00Z","@mt":"Training {Recipe} on {Device}","Recipe":"x","Device":"cpu"}""" + "\n");
        return directory;
    }

    /// <summary>A small valid PNG (a ScottPlot chart), <paramref name="width"/> pixels wide.</summary>
    public static void Png(string path, int width = 160)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var plot = new ScottPlot.Plot();
        plot.Add.Scatter(new double[] { 1, 2, 3 }, new double[] { 3, 1, 2 });
        plot.SavePng(path, width, 100);
    }

    /// <summary>
    /// An experiment directory: experiment.json, comparison.csv, two overlay plots (written in reverse name order), and
    /// the variants' run directories under variants/ (a failed variant "broken" gets only its recipe; "ghost" none at all).
    /// </summary>
    public static string Experiment(string directory, string name = "optimizers")
    {
        Directory.CreateDirectory(directory);
        Write(Path.Combine(directory, "variants", "sgd"), "optimizers", epochs: 3, metrics: new Dictionary<string, double> { ["val_loss"] = 0.6, ["val_accuracy"] = 0.8 });
        Write(Path.Combine(directory, "variants", "adam"), "optimizers", epochs: 5, status: "stopped-early", stopMessage: "val_loss did not improve",
            metrics: new Dictionary<string, double> { ["val_loss"] = 0.4, ["val_accuracy"] = 0.9 });
        Directory.CreateDirectory(Path.Combine(directory, "variants", "broken"));
        File.WriteAllText(Path.Combine(directory, "variants", "broken", "recipe.json"), """{"Name":"optimizers"}""");
        Png(Path.Combine(directory, "plots", "val_loss.png"));
        Png(Path.Combine(directory, "plots", "accuracy.png"));
        File.WriteAllText(Path.Combine(directory, "comparison.csv"), "variant,status,val_loss\nsgd,completed,0.6\nadam,stopped_early,0.4\n");
        var manifest = new
        {
            Name = name, Recipe = "recipes/optimizers.json", StartedAt = "2026-11-23T13:00:00+00:00", DurationSeconds = 12.3,
            Variants = new object[]
            {
                new { Name = "sgd", Overrides = new Dictionary<string, object> { ["Optimizer:Kind"] = "sgd", ["Optimizer:LearningRate"] = 0.1 }, Directory = "variants/sgd",
                      Status = "completed", ExitCode = 0, Epochs = 3, BestEpoch = 3, DurationSeconds = 3.1,
                      Metrics = new Dictionary<string, double> { ["train_loss"] = 0.5, ["val_loss"] = 0.6, ["val_accuracy"] = 0.8, ["test_accuracy"] = 0.79 } },
                new { Name = "adam", Overrides = new Dictionary<string, object> { ["Optimizer:Kind"] = "adam", ["Model:Hidden"] = new[] { 64, 32 } }, Directory = "variants/adam",
                      Status = "stopped_early", ExitCode = 0, Epochs = 5, BestEpoch = 4, DurationSeconds = 4.2,
                      Metrics = new Dictionary<string, double> { ["train_loss"] = 0.3, ["val_loss"] = 0.4, ["val_accuracy"] = 0.9, ["test_accuracy"] = 0.88 } },
                new { Name = "broken", Overrides = new Dictionary<string, object> { ["Optimizer:LearningRate"] = -1 }, Directory = "variants/broken",
                      Status = "failed", ExitCode = 2, Epochs = 0, BestEpoch = (int?)null, DurationSeconds = 0.2, Metrics = new Dictionary<string, double>() },
                new { Name = "ghost", Overrides = new Dictionary<string, object> { ["Training:Seed"] = true }, Directory = "variants/ghost",
                      Status = "interrupted", ExitCode = 130, Epochs = 0, BestEpoch = (int?)null, DurationSeconds = 0.0, Metrics = new Dictionary<string, double>() },
            },
        };
        File.WriteAllText(Path.Combine(directory, "experiment.json"), JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
        return directory;
    }
}
