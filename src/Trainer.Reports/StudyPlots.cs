using ScottPlot;
using Trainer.Search;

namespace Trainer.Reports;

/// <summary>
/// The study's pictures, as PNG files in <c>plots/</c>: the objective against each searched parameter on that
/// parameter's own scale (a log axis for log-uniform ones, 1−β on a log axis for β: the course's picture), and the
/// optimisation history (each trial's value and the best so far).
/// </summary>
public static class StudyPlots
{
    /// <summary>Writes the plots; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string directory, SearchSpec spec, IReadOnlyList<TrialRecord> trials)
    {
        var folder = Path.Combine(directory, Trainer.Runs.RunFiles.Plots);
        Directory.CreateDirectory(folder);
        var done = trials.Where(t => t.State is TrialState.Complete or TrialState.Pruned && t.Value is { } v && double.IsFinite(v)).ToList();
        var written = new List<string>();
        foreach (var (path, distribution) in spec.Space)
        {
            var file = Path.Combine(folder, $"objective-vs-{Safe(path)}.png");
            var plot = new Plot();
            var (label, transform) = Axis(path, distribution);
            foreach (var (state, color) in new[] { (TrialState.Complete, Colors.Blue), (TrialState.Pruned, Colors.Gray) })
            {
                var points = done.Where(t => t.State == state && t.Parameters.TryGetValue(path, out _))
                    .Select(t => (X: transform(t.Parameters[path], t.Point[spec.Space.ToList().FindIndex(d => d.Path == path)]), Y: t.Value!.Value))
                    .Where(p => double.IsFinite(p.X)).ToList();
                if (points.Count == 0) continue;
                var scatter = plot.Add.ScatterPoints(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), color);
                scatter.MarkerSize = 8;
                scatter.LegendText = state.ToString().ToLowerInvariant();
            }
            plot.Title($"{spec.Objective} vs {path}");
            plot.XLabel(label);
            plot.YLabel(spec.Objective);
            if (distribution is LogUniformDistribution or IntLogUniformDistribution or OneMinusLogUniformDistribution)
            {
                var ticks = new ScottPlot.TickGenerators.NumericAutomatic { MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(), LabelFormatter = v => $"{Math.Pow(10, v):G3}" };
                plot.Axes.Bottom.TickGenerator = ticks;
            }
            plot.ShowLegend();
            plot.SavePng(file, 800, 500);
            written.Add(file);
        }

        var history = Path.Combine(folder, "history.png");
        var chart = new Plot();
        var ordered = done.OrderBy(t => t.Number).ToList();
        if (ordered.Count > 0)
        {
            var values = chart.Add.ScatterPoints(ordered.Select(t => (double)t.Number).ToArray(), ordered.Select(t => t.Value!.Value).ToArray());
            values.LegendText = "trial";
            var best = new List<double>();
            foreach (var t in ordered) best.Add(best.Count == 0 ? t.Value!.Value : spec.Maximize ? Math.Max(best[^1], t.Value!.Value) : Math.Min(best[^1], t.Value!.Value));
            var line = chart.Add.ScatterLine(ordered.Select(t => (double)t.Number).ToArray(), best.ToArray());
            line.LegendText = "best so far";
        }
        chart.Title($"Optimisation history of {spec.Study}");
        chart.XLabel("trial");
        chart.YLabel(spec.Objective);
        chart.ShowLegend();
        chart.SavePng(history, 800, 500);
        written.Add(history);
        if (ParetoPlot.Write(folder, spec, trials) is { } pareto) written.Add(pareto);
        return written;
    }

    private static (string Label, Func<string, double, double> Transform) Axis(string path, IDistribution distribution) => distribution switch
    {
        LogUniformDistribution or IntLogUniformDistribution => ($"{path} (log scale)", (v, _) => Math.Log10(Parse(v))),
        OneMinusLogUniformDistribution => ($"1 − {path} (log scale)", (v, _) => Math.Log10(1 - Parse(v))),
        CategoricalDistribution c => ($"{path} ({string.Join(", ", c.Choices)})", (v, _) => c.Choices.ToList().IndexOf(v)),
        _ => (path, (v, _) => Parse(v)),
    };

    private static double Parse(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : double.NaN;

    private static string Safe(string path) => string.Concat(path.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-'));
}
