using System.Text.Json;
using Trainer.Training;

namespace Trainer.Runs;

/// <summary>
/// A run directory as whoever shows runs reads it (the HTML report, the dashboard, <c>trainer report</c>): its summary,
/// its per-epoch metrics and its recipe, read defensively. A run that failed, was killed or is still training may lack
/// any of them; each absence is a sentence in <see cref="Missing"/>, each unreadable file one in <see cref="Problems"/>.
/// </summary>
public sealed class RunRecord
{
    private RunRecord(string directory) => Directory = directory;

    /// <summary>The run directory.</summary>
    public string Directory { get; }

    /// <summary>summary.json, or null while running (or when it is missing or unreadable).</summary>
    public RunSummary? Summary { get; private set; }

    /// <summary>metrics.csv's epochs; empty before the first.</summary>
    public IReadOnlyList<EpochMetrics> Metrics { get; private set; } = [];

    /// <summary>metrics.csv's columns, in the file's order (empty without the file).</summary>
    public IReadOnlyList<string> MetricColumns { get; private set; } = [];

    /// <summary>recipe.json as written, or null.</summary>
    public string? RecipeText { get; private set; }

    /// <summary>The recipe's <c>Name</c>, or null when it has none (or no recipe).</summary>
    public string? RecipeName { get; private set; }

    /// <summary>Files a finished run has and this one lacks, each with what its absence means.</summary>
    public List<string> Missing { get; } = [];

    /// <summary>Files that exist but could not be read.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>The run's id: its summary's, else its folder's name (the id <c>--run-dir</c> gives).</summary>
    public string RunId => Summary?.RunId is { Length: > 0 } id ? id : Path.GetFileName(Path.TrimEndingDirectorySeparator(Directory));

    /// <summary>The recipe's name: the summary's, else recipe.json's, else the run id.</summary>
    public string Name => Summary?.Recipe is { Length: > 0 } recipe ? recipe : RecipeName ?? RunId;

    /// <summary>The summary's status, or "running" without one.</summary>
    public string Status => Summary?.Status ?? "running";

    /// <summary>Reads <paramref name="directory"/> through <paramref name="files"/> (default: straight from disk).</summary>
    public static RunRecord Read(string directory, IRunFileSource? files = null)
    {
        files ??= DiskRunFiles.Instance;
        var run = new RunRecord(directory);
        // Parsers are pure (a cache may hand back an earlier result); the record takes what they return.
        run.Summary = run.Load(files, RunFiles.Summary, "the run is still in progress, or its process was killed before it finished; its status is unknown.",
            text => RunSummaryFile.Parse(text) ?? throw new InvalidDataException($"{RunFiles.Summary} holds null."));
        if (run.Load(files, RunFiles.Metrics, "no epoch has finished, so there is no per-epoch table.", ParseMetrics) is { } metrics)
            (run.Metrics, run.MetricColumns) = (metrics.Epochs, metrics.Columns);
        if (run.Load(files, RunFiles.Recipe, "the resolved recipe was not saved (the run failed before it started?).", ParseRecipe) is { } recipe)
        {
            (run.RecipeText, run.RecipeName) = (recipe.Text, recipe.Name);
            if (recipe.Problem is { } problem) run.Problems.Add(problem);
        }
        return run;
    }

    private sealed record MetricsFile(IReadOnlyList<EpochMetrics> Epochs, IReadOnlyList<string> Columns);

    private sealed record RecipeFile(string Text, string? Name, string? Problem);

    private static MetricsFile ParseMetrics(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        return new MetricsFile(MetricsCsvReader.Parse(lines, RunFiles.Metrics), lines.Count > 0 && lines[0].Length > 0 ? lines[0].Split(',') : []);
    }

    private static RecipeFile ParseRecipe(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var name = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("Name", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString() : null;
            return new RecipeFile(text, name, null);
        }
        catch (JsonException e)
        {
            return new RecipeFile(text, null, $"{RunFiles.Recipe} is not valid JSON ({e.Message}); shown as written.");
        }
    }

    private T? Load<T>(IRunFileSource files, string file, string meaningIfMissing, Func<string, T> parse) where T : class
    {
        try
        {
            var value = files.Read(Path.Combine(Directory, file), parse);
            if (value is null) Missing.Add($"{file} is missing: {meaningIfMissing}");
            return value;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or NotSupportedException)
        {
            Problems.Add($"{file} could not be read: {e.Message}");
            return null;
        }
    }
}
