using Trainer.Serving.Api;
using System.Text.Json;
using Trainer.Runs;

namespace Trainer.Serving.Dashboard;

/// <summary>
/// Reads a run directory for the dashboard, defensively: a run that is still training, failed early or was killed may
/// lack its summary, metrics or recipe, and each absence becomes a null or an empty list, never an error. Files go
/// through <see cref="RunFileCache"/>: parsed again only when they change, bounded, never through a link.
/// </summary>
internal static class RunReader
{
    private const string RecipeFile = "recipe.json";
    private const string MetricsFile = "metrics.csv";

    private static readonly RunFileCache Files = new();

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

    /// <summary>The epochs of metrics.csv (its last <see cref="RunFileCache.MaxBytes"/> bytes when it is longer).</summary>
    public static IReadOnlyList<EpochRow> Metrics(string directory) =>
        Files.Read(Path.Combine(directory, MetricsFile), text => MetricsCsvReader.Parse(text.Split('\n').Select(l => l.TrimEnd('\r')), MetricsFile)
            .Select(h => new EpochRow(h.Epoch, EpochRow.Finite(h.Seconds), h.SamplesPerSecond > 0 ? h.SamplesPerSecond : null,
                h.Values.ToDictionary(v => v.Key, v => EpochRow.Finite(v.Value)))).ToList()) ?? [];

    /// <summary>The resolved recipe as written, or null.</summary>
    public static string? Recipe(string directory) =>
        Files.Read(Path.Combine(directory, RecipeFile), text =>
        {
            using var document = JsonDocument.Parse(text);
            return text;
        });

    private static RunSummary? Summary(string directory) =>
        Files.Read(Path.Combine(directory, RunSummaryFile.FileName), RunSummaryFile.Parse);

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

    private static DateTimeOffset? StartedFromFiles(string directory)
    {
        var recipe = Path.Combine(directory, RecipeFile);
        return File.Exists(recipe) ? new DateTimeOffset(File.GetCreationTimeUtc(recipe), TimeSpan.Zero) : null;
    }

}
