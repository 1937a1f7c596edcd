using ScottPlot;
using Trainer.Search;

namespace Trainer.Reports;

/// <summary>A two-objective study's trials in objective space, the Pareto front highlighted and joined by a line.</summary>
internal static class ParetoPlot
{
    /// <summary>The file's name in the study's plots folder.</summary>
    public const string FileName = "pareto-front.png";

    /// <summary>Writes <c>pareto-front.png</c> into <paramref name="folder"/> for a study with exactly two objectives; returns its path, or null.</summary>
    public static string? Write(string folder, SearchSpec spec, IReadOnlyList<TrialRecord> trials)
    {
        if (spec.Objectives.Count != 2) return null;
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Values is { Length: 2 } v && v.All(double.IsFinite)).ToList();
        var front = StudyFront.Of(spec, trials).Select(t => t.Number).ToHashSet();
        var plot = new Plot();
        var others = complete.Where(t => !front.Contains(t.Number)).ToList();
        if (others.Count > 0)
        {
            var dominated = plot.Add.ScatterPoints(others.Select(t => t.Values![0]).ToArray(), others.Select(t => t.Values![1]).ToArray(), Colors.Gray);
            dominated.MarkerSize = 7;
            dominated.LegendText = "dominated";
        }
        var best = complete.Where(t => front.Contains(t.Number)).OrderBy(t => t.Values![0]).ToList();
        if (best.Count > 0)
        {
            var line = plot.Add.ScatterLine(best.Select(t => t.Values![0]).ToArray(), best.Select(t => t.Values![1]).ToArray(), Colors.Red);
            line.LineWidth = 2;
            var points = plot.Add.ScatterPoints(best.Select(t => t.Values![0]).ToArray(), best.Select(t => t.Values![1]).ToArray(), Colors.Red);
            points.MarkerSize = 10;
            points.LegendText = "Pareto front";
        }
        plot.Title($"Pareto front of {spec.Study}");
        plot.XLabel($"{spec.Objectives[0].Metric} ({spec.Objectives[0].Direction})");
        plot.YLabel($"{spec.Objectives[1].Metric} ({spec.Objectives[1].Direction})");
        plot.ShowLegend();
        var file = Path.Combine(folder, FileName);
        plot.SavePng(file, 800, 500);
        return file;
    }
}
