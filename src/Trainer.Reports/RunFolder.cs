using System.Text.Json;
using Trainer.Runs;

namespace Trainer.Reports;

/// <summary>
/// What a run directory holds, read defensively: a run that failed, was killed or is still training may lack any of
/// its files, and each absence becomes a sentence in <see cref="Missing"/> rather than an exception.
/// </summary>
internal sealed class RunFolder
{
    public const string LogFile = RunFiles.Log;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private RunFolder(RunRecord record) => Record = record;

    /// <summary>The run as every reader of runs sees it.</summary>
    public RunRecord Record { get; }

    public string Directory => Record.Directory;

    public RunSummary? Summary => Record.Summary;

    /// <summary>metrics.csv as a table, in its own column order; null without the file.</summary>
    public CsvTable? Metrics { get; private set; }

    /// <summary>The recipe, indented, or its raw text when it is not valid JSON.</summary>
    public string? Recipe { get; private set; }

    public IReadOnlyList<LogEvent> Warnings { get; private set; } = [];

    public int UnreadableLogLines { get; private set; }

    /// <summary>Files a finished run has and this one lacks, each with what its absence means.</summary>
    public List<string> Missing => Record.Missing;

    /// <summary>Files that exist but could not be read.</summary>
    public List<string> Problems => Record.Problems;

    public string Name => Record.Name;

    public string RunId => Record.RunId;

    public string Status => Summary?.Status ?? "unknown";

    public string PlotsFolder => Path.Combine(Directory, RunFiles.Plots);

    /// <summary>True when the folder holds any of the files <c>trainer run</c> writes first.</summary>
    public static bool Recognise(string directory) => RunFiles.IsRun(directory);

    public static RunFolder Load(string directory)
    {
        var run = new RunFolder(RunRecord.Read(directory));
        var record = run.Record;
        if (record.MetricColumns.Count > 0)
            run.Metrics = new CsvTable(record.MetricColumns, record.Metrics.Select(e => (IReadOnlyList<string>)record.MetricColumns.Select(c => Cell(e, c)).ToList()).ToList());
        if (record.RecipeText is { } text)
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                run.Recipe = JsonSerializer.Serialize(json.RootElement, Indented);
            }
            catch (JsonException)
            {
                run.Recipe = text; // RunRecord reported it
            }
        }
        var log = Path.Combine(directory, LogFile);
        if (!File.Exists(log))
        {
            record.Missing.Add($"{LogFile} is missing: there is no log, so no warnings or errors can be shown.");
            return run;
        }
        try
        {
            (run.Warnings, run.UnreadableLogLines) = LogEvent.ReadWarnings(log);
            if (run.UnreadableLogLines > 0) record.Problems.Add($"{LogFile}: {run.UnreadableLogLines} line(s) are not JSON (cut short by a crash?) and were skipped.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            record.Problems.Add($"{LogFile} could not be read: {e.Message}");
        }
        return run;
    }

    private static string Cell(Trainer.Training.EpochMetrics epoch, string column) => column switch
    {
        "epoch" => epoch.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        MetricsCsvReader.SecondsColumn => epoch.Seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        MetricsCsvReader.SamplesPerSecondColumn => epoch.SamplesPerSecond.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => epoch[column] is { } value ? value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "",
    };
}
