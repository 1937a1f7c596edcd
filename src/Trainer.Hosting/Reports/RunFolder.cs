using System.Text.Json;
using Trainer.Runs;

namespace Trainer.Hosting.Reports;

/// <summary>
/// What a run directory holds, read defensively: a run that failed, was killed or is still training may lack any of
/// its files, and each absence becomes a sentence in <see cref="Missing"/> rather than an exception.
/// </summary>
internal sealed class RunFolder
{
    public const string RecipeFile = "recipe.json";
    public const string MetricsFile = "metrics.csv";
    public const string LogFile = "log.clef";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private RunFolder(string directory) => Directory = directory;

    public string Directory { get; }

    public RunSummary? Summary { get; private set; }

    public CsvTable? Metrics { get; private set; }

    /// <summary>The recipe, indented, or its raw text when it is not valid JSON.</summary>
    public string? Recipe { get; private set; }

    public string? RecipeName { get; private set; }

    public IReadOnlyList<LogEvent> Warnings { get; private set; } = [];

    public int UnreadableLogLines { get; private set; }

    /// <summary>Files a finished run has and this one lacks, each with what its absence means.</summary>
    public List<string> Missing { get; } = [];

    /// <summary>Files that exist but could not be read.</summary>
    public List<string> Problems { get; } = [];

    public string Name => Summary?.Recipe is { Length: > 0 } recipe ? recipe : RecipeName ?? RunId;

    public string RunId => Summary?.RunId is { Length: > 0 } id ? id : Path.GetFileName(Path.TrimEndingDirectorySeparator(Directory));

    public string Status => Summary?.Status ?? "unknown";

    public string PlotsFolder => Path.Combine(Directory, Trainer.Hosting.Runs.RunPlots.Folder);

    /// <summary>True when the folder holds any of the files <c>trainer run</c> writes first.</summary>
    public static bool Recognise(string directory) =>
        new[] { RunSummaryFile.FileName, RecipeFile, MetricsFile }.Any(f => File.Exists(Path.Combine(directory, f)));

    public static RunFolder Load(string directory)
    {
        var run = new RunFolder(directory);
        run.Read(RunSummaryFile.FileName, "the run is still in progress, or its process was killed before it finished; its status is unknown.",
            () => run.Summary = RunSummaryFile.Read(directory));
        run.Read(MetricsFile, "no epoch has finished, so there is no per-epoch table.", () => run.Metrics = CsvTable.Read(Path.Combine(directory, MetricsFile)));
        run.Read(RecipeFile, "the resolved recipe was not saved (the run failed before it started?).", () =>
        {
            var text = File.ReadAllText(Path.Combine(directory, RecipeFile));
            try
            {
                using var json = JsonDocument.Parse(text);
                run.Recipe = JsonSerializer.Serialize(json.RootElement, Indented);
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("Name", out var name) && name.ValueKind == JsonValueKind.String)
                    run.RecipeName = name.GetString();
            }
            catch (JsonException e)
            {
                run.Recipe = text;
                run.Problems.Add($"{RecipeFile} is not valid JSON ({e.Message}); shown as written.");
            }
        });
        run.Read(LogFile, "there is no log, so no warnings or errors can be shown.", () =>
        {
            (run.Warnings, run.UnreadableLogLines) = LogEvent.ReadWarnings(Path.Combine(directory, LogFile));
            if (run.UnreadableLogLines > 0) run.Problems.Add($"{LogFile}: {run.UnreadableLogLines} line(s) are not JSON (cut short by a crash?) and were skipped.");
        });
        return run;
    }

    private void Read(string file, string meaningIfMissing, Action read)
    {
        if (!File.Exists(Path.Combine(Directory, file)))
        {
            Missing.Add($"{file} is missing: {meaningIfMissing}");
            return;
        }
        try
        {
            read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or NotSupportedException)
        {
            Problems.Add($"{file} could not be read: {e.Message}");
        }
    }
}
