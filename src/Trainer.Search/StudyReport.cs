using System.Globalization;
using System.Text;
using System.Text.Json;
using Trainer.Search;

namespace Trainer.Search;

/// <summary>Writes a study's <c>study.csv</c> and <c>best.json</c> and prints its summary table.</summary>
public static class StudyReport
{
    /// <summary>The best complete trial, or null when none completed.</summary>
    public static TrialRecord? Best(IReadOnlyList<TrialRecord> trials, bool maximize)
    {
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v)).ToList();
        if (complete.Count == 0) return null;
        return maximize ? complete.MaxBy(t => t.Value) : complete.MinBy(t => t.Value);
    }

    /// <summary>
    /// Writes <c>study.csv</c> (number, state, value (the trial's score by <c>Search:Score</c>), best_value and best_epoch,
    /// last_value and last_epoch of the epochs it reported, duration_seconds, then one column per searched key) and
    /// <c>best.json</c>.
    /// </summary>
    public static void Write(string directory, SearchSpec spec, IReadOnlyList<TrialRecord> trials,
        IReadOnlyDictionary<int, IReadOnlyList<(int Epoch, double Value)>> reported)
    {
        Directory.CreateDirectory(directory);
        var keys = spec.Space.Select(d => d.Path).ToList();
        var front = StudyFront.Of(spec, trials).Select(t => t.Number).ToHashSet();
        string[] objectiveColumns = spec.IsMultiObjective ? [.. spec.Objectives.Select(o => Quote(o.Metric)), "pareto"] : [];
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(",", ["number", "state", "value", "best_value", "best_epoch", "last_value", "last_epoch", "duration_seconds", .. objectiveColumns,
            .. keys.Select(Quote)]));
        foreach (var t in trials)
        {
            var epochs = reported.GetValueOrDefault(t.Number) ?? [];
            var finite = epochs.Where(e => double.IsFinite(e.Value)).ToList();
            (int Epoch, double Value)? bestEpoch = finite.Count == 0 ? null : spec.Maximize ? finite.MaxBy(e => e.Value) : finite.MinBy(e => e.Value);
            (int Epoch, double Value)? last = epochs.Count == 0 ? null : epochs[^1];
            csv.AppendLine(string.Join(",", [t.Number.ToString(CultureInfo.InvariantCulture), t.State.ToString().ToLowerInvariant(),
                Format(t.Value), Format(bestEpoch?.Value), Format(bestEpoch?.Epoch), Format(last?.Value), Format(last?.Epoch), Format(t.DurationSeconds),
                .. ObjectiveCells(spec, t, front), .. keys.Select(k => Quote(t.Parameters.GetValueOrDefault(k) ?? ""))]));
        }
        File.WriteAllText(Path.Combine(directory, "study.csv"), csv.ToString());

        if (spec.IsMultiObjective)
        {
            WriteFront(directory, spec, trials);
            return;
        }
        var best = Best(trials, spec.Maximize);
        var json = new
        {
            study = spec.Study, objective = spec.Objective, direction = spec.Maximize ? "maximize" : "minimize", score = spec.Score,
            trials = trials.Count, complete = trials.Count(t => t.State == TrialState.Complete),
            pruned = trials.Count(t => t.State == TrialState.Pruned), failed = trials.Count(t => t.State == TrialState.Failed),
            interrupted = trials.Count(t => t.State == TrialState.Interrupted),
            best = best is null ? null : new { number = best.Number, value = best.Value, parameters = best.Parameters, runDirectory = best.RunDirectory },
        };
        File.WriteAllText(Path.Combine(directory, "best.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Prints the best trial and the top ten, or a multi-objective study's Pareto front.</summary>
    public static void Print(TextWriter output, SearchSpec spec, IReadOnlyList<TrialRecord> trials)
    {
        var best = Best(trials, spec.Maximize);
        var objective = spec.IsMultiObjective ? StudyFront.Describe(spec) : $"{(spec.Maximize ? "maximize" : "minimize")} {spec.Objective}";
        output.WriteLine($"Study {spec.Study}: {trials.Count} trials ({trials.Count(t => t.State == TrialState.Complete)} complete, " +
                         $"{trials.Count(t => t.State == TrialState.Pruned)} pruned, {trials.Count(t => t.State == TrialState.Failed)} failed" +
                         (trials.Any(t => t.State == TrialState.Interrupted) ? $", {trials.Count(t => t.State == TrialState.Interrupted)} interrupted" : "") + "); " +
                         objective);
        if (spec.IsMultiObjective)
        {
            StudyFront.Print(output, spec, trials);
            return;
        }
        if (best is null)
        {
            output.WriteLine("No trial completed.");
            return;
        }
        output.WriteLine($"Best: trial {best.Number}, {spec.Objective} = {best.Value:G6}, {Parameters(best)}");
        output.WriteLine("Top 10:");
        var ranked = trials.Where(t => t.State == TrialState.Complete && t.Value is not null);
        ranked = spec.Maximize ? ranked.OrderByDescending(t => t.Value) : ranked.OrderBy(t => t.Value);
        foreach (var t in ranked.Take(10))
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,4}  {1,10:G6}  {2}", t.Number, t.Value, Parameters(t)));
    }

    private static IEnumerable<string> ObjectiveCells(SearchSpec spec, TrialRecord trial, HashSet<int> front) => !spec.IsMultiObjective ? [] :
    [
        .. spec.Objectives.Select((_, i) => trial.Values is { } values && i < values.Length ? Format(values[i]) : ""),
        front.Contains(trial.Number) ? "true" : "false",
    ];

    /// <summary>A multi-objective study's <c>best.json</c>: its objectives and its front (number, values by metric, parameters, run directory).</summary>
    private static void WriteFront(string directory, SearchSpec spec, IReadOnlyList<TrialRecord> trials)
    {
        var json = new
        {
            study = spec.Study, objectives = spec.Objectives.Select(o => new { metric = o.Metric, direction = o.Direction }), score = spec.Score,
            trials = trials.Count, complete = trials.Count(t => t.State == TrialState.Complete),
            pruned = trials.Count(t => t.State == TrialState.Pruned), failed = trials.Count(t => t.State == TrialState.Failed),
            interrupted = trials.Count(t => t.State == TrialState.Interrupted),
            front = StudyFront.Of(spec, trials).Select(t => new
            {
                number = t.Number, values = spec.Objectives.Select((o, i) => (o.Metric, Value: t.Values![i])).ToDictionary(p => p.Metric, p => p.Value),
                parameters = t.Parameters, runDirectory = t.RunDirectory,
            }),
        };
        File.WriteAllText(Path.Combine(directory, "best.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>"key=value, …" of a trial's parameters.</summary>
    public static string Parameters(TrialRecord trial) => string.Join(", ", trial.Parameters.Select(p => $"{p.Key}={p.Value}"));

    private static string Format(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Format(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Quote(string text) => text.Contains(',') || text.Contains('"') ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
}
