using Trainer.Serving.Api;
using System.Text.Json;
using Trainer.Runs;

namespace Trainer.Serving.Dashboard;

/// <summary>
/// Reads a run directory for the dashboard, defensively: a run that is still training, failed early or was killed may
/// lack its summary, metrics or recipe, and each absence becomes a null or an empty list, never an error.
/// </summary>
internal static class RunReader
{
    private const string RecipeFile = "recipe.json";
    private const string MetricsFile = "metrics.csv";
    private const string LogFile = "log.clef";

    /// <summary>The run's id: its summary's, else its folder's name (the id <c>--run-dir</c> gives).</summary>
    public static string RunIdOf(string directory) =>
        Summary(directory)?.RunId is { Length: > 0 } id ? id : Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));

    public static DashboardRunEntry Entry(string id, string directory, string display)
    {
        var summary = Summary(directory);
        var rows = Metrics(directory);
        return new DashboardRunEntry(id, RecipeName(directory, summary), summary?.Status ?? "running",
            summary?.Epochs ?? rows.Count, summary?.BestEpoch ?? BestEpoch.Of(rows)?.Epoch,
            summary?.Metrics.ToDictionary(m => m.Key, m => EpochRow.Finite(m.Value)) ?? new Dictionary<string, double?>(),
            summary?.StartedAt ?? StartedFromFiles(directory), display);
    }

    public static DashboardRunStatus Status(string id, string directory)
    {
        var summary = Summary(directory);
        var rows = Metrics(directory);
        var last = rows.Count > 0 ? rows[^1] : null;
        return new DashboardRunStatus
        {
            RunId = id,
            Recipe = RecipeName(directory, summary),
            Status = summary?.Status ?? "running",
            Epoch = last?.Epoch ?? 0,
            Epochs = PlannedEpochs(directory) ?? summary?.Epochs,
            LearningRate = last?.Values.GetValueOrDefault("lr"),
            SamplesPerSecond = summary is { SamplesPerSecond: > 0 } ? summary.SamplesPerSecond : last?.SamplesPerSecond,
            LastEpoch = last,
            Best = BestEpoch.Of(rows, summary?.BestEpoch),
            StartedAt = summary?.StartedAt ?? StartedFromFiles(directory),
        };
    }

    /// <summary>The epochs of metrics.csv, with each epoch's samples/s from the log where it has them.</summary>
    public static IReadOnlyList<EpochRow> Metrics(string directory)
    {
        IReadOnlyList<Trainer.Training.EpochMetrics> history;
        try
        {
            history = MetricsCsvReader.Read(Path.Combine(directory, MetricsFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return [];
        }
        var throughput = Throughput(directory);
        return history.Select(h => new EpochRow(h.Epoch, EpochRow.Finite(h.Seconds), throughput.TryGetValue(h.Epoch, out var s) ? s : null,
            h.Values.ToDictionary(v => v.Key, v => EpochRow.Finite(v.Value)))).ToList();
    }

    /// <summary>The resolved recipe as written, or null.</summary>
    public static string? Recipe(string directory)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(directory, RecipeFile));
            using var document = JsonDocument.Parse(text);
            return text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static RunSummary? Summary(string directory)
    {
        if (!File.Exists(Path.Combine(directory, RunSummaryFile.FileName))) return null;
        try
        {
            return RunSummaryFile.Read(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            return null;
        }
    }

    private static string RecipeName(string directory, RunSummary? summary) =>
        summary?.Recipe is { Length: > 0 } name ? name : RecipeProperty(directory, "Name")?.GetString() ?? "";

    private static int? PlannedEpochs(string directory) =>
        RecipeProperty(directory, "Training") is { ValueKind: JsonValueKind.Object } training &&
        training.TryGetProperty("Epochs", out var epochs) && epochs.TryGetInt32(out var n) ? n : null;

    private static JsonElement? RecipeProperty(string directory, string name)
    {
        if (Recipe(directory) is not { } text) return null;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value) ? value.Clone() : null;
    }

    /// <summary>Samples per second by epoch, from the log's epoch events (metrics.csv does not keep them).</summary>
    private static Dictionary<int, double> Throughput(string directory)
    {
        var found = new Dictionary<int, double>();
        var path = Path.Combine(directory, LogFile);
        if (!File.Exists(path)) return found;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (!line.Contains("\"SamplesPerSecond\"", StringComparison.Ordinal) || !line.Contains("\"Epoch\"", StringComparison.Ordinal)) continue;
                try
                {
                    using var json = JsonDocument.Parse(line);
                    if (json.RootElement.TryGetProperty("Epoch", out var epoch) && epoch.TryGetInt32(out var e) &&
                        json.RootElement.TryGetProperty("SamplesPerSecond", out var sps) && sps.TryGetDouble(out var s) && double.IsFinite(s))
                        found[e] = s;
                }
                catch (JsonException)
                {
                    // A line cut short by a crash: that epoch has no throughput.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No log to read: no throughput.
        }
        return found;
    }

    private static DateTimeOffset? StartedFromFiles(string directory)
    {
        var recipe = Path.Combine(directory, RecipeFile);
        return File.Exists(recipe) ? new DateTimeOffset(File.GetCreationTimeUtc(recipe), TimeSpan.Zero) : null;
    }

}
