using System.Globalization;
using Trainer.Hosting;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Plugins;
using Trainer.Runs;

namespace Trainer.Bench;

/// <summary>
/// The same training through Trainer as a user runs it: the hosted service, structured logging to log.clef, and the
/// realistic callback set (early stopping that never triggers, an exponential learning-rate schedule, EWMA running
/// statistics logged every 50 steps, a checkpoint every epoch).
/// </summary>
public static class TrainerSide
{
    /// <summary>Trains and measures.</summary>
    /// <param name="model">The model.</param>
    /// <param name="epochs">Epochs to train.</param>
    /// <param name="serve">Serve the run (<c>--serve</c>) with a dashboard-like client connected: the event stream read
    /// throughout, and the status fetched after every epoch event, as the page does.</param>
    /// <param name="callbacks">Diagnostic: keep only these callbacks of the set (comma-separated types; "none" keeps
    /// none). Null keeps the whole set.</param>
    public static ChildResult Run(BenchModel model, int epochs, bool serve = false, string? callbacks = null)
    {
        var recipe = BenchSettings.Recipe(model, epochs);
        var m = recipe.Model;
        var json = string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "Name": "{{recipe.Name}}",
              "Data": { "Source": "fashion-mnist", "ValidationFraction": 0.1, "Normalize": "per-feature" },
              "Model": { "Kind": "{{m.Kind}}", "Hidden": [{{string.Join(", ", m.Hidden!)}}], "Channels": [{{string.Join(", ", m.Channels ?? [])}}], "BatchNorm": {{(m.BatchNorm ? "true" : "false")}} },
              "Optimizer": { "Kind": "adam", "LearningRate": {{recipe.Optimizer.LearningRate}} },
              "Training": { "Epochs": {{epochs}}, "BatchSize": {{recipe.Training.BatchSize}}, "Device": "cpu", "Seed": {{BenchSettings.Seed}}, "Threads": {{BenchSettings.Threads}} },
              "Callbacks": [
                { "Type": "EarlyStopping", "Options": { "Monitor": "val_loss", "Patience": 100000 } },
                { "Type": "LearningRateSchedule", "Options": { "Schedule": "Exponential", "Rate": 0.95 } },
                { "Type": "RunningStats", "Options": { "LogEvery": 50 } },
                { "Type": "Checkpoint", "Options": { "EveryEpochs": 1, "KeepLast": 2 } }
              ]
            }
            """);
        if (callbacks is not null)
        {
            var keep = callbacks.Split(',', StringSplitOptions.RemoveEmptyEntries);
            var doc = System.Text.Json.Nodes.JsonNode.Parse(json)!;
            var list = doc["Callbacks"]!.AsArray();
            foreach (var c in list.ToList()) if (!keep.Contains((string)c!["Type"]!)) list.Remove(c);
            json = doc.ToJsonString();
        }
        var directory = Path.Combine(Path.GetTempPath(), $"trainer-bench-{Guid.NewGuid():N}");
        var memory = new RssRecorder();
        try
        {
            var request = new RunRequest
            {
                Recipe = RecipeSource.FromText(json, recipe.Name), RunDirectory = directory, Console = false, AppSettings = null,
                ExtraCallbacks = [memory],
                Overrides = serve ? ["--Serve:Urls=http://127.0.0.1:0"] : [],
                HostFactory = serve ? new Trainer.Serving.ServingHostFactory(serve: true) : null,
            };
            using var client = serve ? DashboardClient.Start(directory) : null;
            var code = new TrainerApplication(PluginCatalog.FromApplicationDirectory(), Console.Error,
                new Trainer.Hosting.Features.RunFeatures { Plotter = new Trainer.Reports.PngPlotter() }).RunAsync(request).GetAwaiter().GetResult();
            if (code != ExitCodes.Completed) throw new InvalidOperationException($"The trainer run ended with exit code {code}; see {directory}.");
            // After a warm-up epoch when there are several, as every side measures (see RawLoop).
            var perEpoch = memory.SamplesPerSecond.Count > 1 ? memory.SamplesPerSecond.Skip(1).ToList() : memory.SamplesPerSecond;
            var samplesPerSecond = perEpoch.Count / perEpoch.Sum(s => 1 / s); // equal epochs: total samples over total time
            var stepsPerSample = Math.Ceiling(54000.0 / recipe.Training.BatchSize) / 54000.0;
            return new ChildResult("trainer", samplesPerSecond, samplesPerSecond * stepsPerSample, Rss.PeakMegabytes(), [.. memory.Megabytes]);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
