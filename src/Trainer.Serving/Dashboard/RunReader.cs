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
    private const string RecipeFile = RunFiles.Recipe;
    private const string MetricsFile = RunFiles.Metrics;

    private static readonly RunFileCache Files = new();

    /// <summary>The run's id: its summary's, else its folder's name (the id <c>--run-dir</c> gives).</summary>
    public static string RunIdOf(string directory) => Read(directory).RunId;

    public static DashboardRunEntry Entry(string id, string directory, string display)
    {
        var run = Read(directory);
        var rows = Rows(run);
        return new DashboardRunEntry(id, run.Name, run.Status, run.Summary?.Epochs ?? rows.Count, run.Summary?.BestEpoch ?? BestEpoch.Of(rows)?.Epoch,
            run.Summary?.Metrics.ToDictionary(m => m.Key, m => EpochRow.Finite(m.Value)) ?? new Dictionary<string, double?>(),
            run.Summary?.StartedAt ?? StartedFromFiles(directory), display, DashboardModelPackage.Exists(directory));
    }

    public static DashboardRunStatus Status(string id, string directory)
    {
        var run = Read(directory);
        var rows = Rows(run);
        var last = rows.Count > 0 ? rows[^1] : null;
        return new DashboardRunStatus
        {
            RunId = id,
            Recipe = run.Name,
            Status = run.Status,
            Epoch = last?.Epoch ?? 0,
            Epochs = PlannedEpochs(run.RecipeText) ?? run.Summary?.Epochs,
            LearningRate = last?.Values.GetValueOrDefault("lr"),
            SamplesPerSecond = run.Summary is { SamplesPerSecond: > 0 } summary ? summary.SamplesPerSecond : last?.SamplesPerSecond,
            LastEpoch = last,
            Best = BestEpoch.Of(rows, run.Summary?.BestEpoch),
            StartedAt = run.Summary?.StartedAt ?? StartedFromFiles(directory),
            ModelFiles = DashboardModelPackage.Exists(directory) ? DashboardModelPackage.PresentFiles(directory) : null,
        };
    }

    /// <summary>The epochs of metrics.csv (its last <see cref="RunFileCache.MaxBytes"/> bytes when it is longer).</summary>
    public static IReadOnlyList<EpochRow> Metrics(string directory) => Rows(Read(directory));

    /// <summary>The resolved recipe as written, when it is valid JSON; else null.</summary>
    public static string? Recipe(string directory) => Read(directory) is { RecipeText: { } text } run && !run.Problems.Any(p => p.StartsWith(RunFiles.Recipe, StringComparison.Ordinal))
        ? text : null;

    private static RunRecord Read(string directory) => RunRecord.Read(directory, Files);

    private static List<EpochRow> Rows(RunRecord run) => run.Metrics
        .Select(h => new EpochRow(h.Epoch, EpochRow.Finite(h.Seconds), h.SamplesPerSecond > 0 ? h.SamplesPerSecond : null,
            h.Values.ToDictionary(v => v.Key, v => EpochRow.Finite(v.Value)))).ToList();

    private static int? PlannedEpochs(string? recipe)
    {
        if (recipe is null) return null;
        try
        {
            using var document = JsonDocument.Parse(recipe);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("Training", out var training) &&
                   training.ValueKind == JsonValueKind.Object && training.TryGetProperty("Epochs", out var epochs) && epochs.TryGetInt32(out var n) ? n : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateTimeOffset? StartedFromFiles(string directory)
    {
        var recipe = Path.Combine(directory, RecipeFile);
        return File.Exists(recipe) ? new DateTimeOffset(File.GetCreationTimeUtc(recipe), TimeSpan.Zero) : null;
    }
}
