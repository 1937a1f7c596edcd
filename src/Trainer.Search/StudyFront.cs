using System.Globalization;

namespace Trainer.Search;

/// <summary>A multi-objective study's Pareto front: the complete trials no other complete trial dominates.</summary>
public static class StudyFront
{
    /// <summary>The front's trials, by number; empty for a single-objective study or before any trial completes.</summary>
    public static IReadOnlyList<TrialRecord> Of(SearchSpec spec, IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trials);
        if (!spec.IsMultiObjective) return [];
        var ranked = trials.Where(t => t.State == TrialState.Complete && t.Values?.Length == spec.Objectives.Count && t.Values.All(double.IsFinite))
            .OrderBy(t => t.Number).ToList();
        return Pareto.Front(ranked.Select(t => t.Values!).ToList(), spec.Objectives.Select(o => o.Maximize).ToList()).Select(i => ranked[i]).ToList();
    }

    /// <summary>"maximize val_accuracy, minimize parameter_count".</summary>
    public static string Describe(SearchSpec spec) => string.Join(", ", spec.Objectives.Select(o => $"{o.Direction} {o.Metric}"));

    /// <summary>Prints the front as a table: trial, each objective's value, parameters.</summary>
    public static void Print(TextWriter output, SearchSpec spec, IReadOnlyList<TrialRecord> trials)
    {
        var front = Of(spec, trials);
        if (front.Count == 0)
        {
            output.WriteLine("No trial completed.");
            return;
        }
        output.WriteLine($"Pareto front: {front.Count} trial{(front.Count == 1 ? "" : "s")}");
        var widths = spec.Objectives.Select(o => Math.Max(10, o.Metric.Length)).ToList();
        output.WriteLine("  " + string.Join("  ", ["trial", .. spec.Objectives.Select((o, i) => o.Metric.PadLeft(widths[i])), "parameters"]));
        var ordered = spec.Objectives[0].Maximize ? front.OrderByDescending(t => t.Values![0]) : front.OrderBy(t => t.Values![0]);
        foreach (var t in ordered)
            output.WriteLine("  " + string.Join("  ", [t.Number.ToString(CultureInfo.InvariantCulture).PadLeft(5),
                .. t.Values!.Select((v, i) => v.ToString("G6", CultureInfo.InvariantCulture).PadLeft(widths[i])), StudyReport.Parameters(t)]));
    }
}
