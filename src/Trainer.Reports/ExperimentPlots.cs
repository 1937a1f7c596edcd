using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;
using Trainer.Hosting.Experiments;
using Trainer.Training;

namespace Trainer.Reports;

/// <summary>
/// The experiment's pictures in <c>plots/</c>: each compared metric with one curve per variant; with a numeric grid
/// axis, the best objective against that axis (log scale when it spans a decade or more), one line per variant group;
/// and when the variants record per-layer statistics (<c>layerNN_STAT</c>, e.g. from the LayerStats callback), the
/// statistic against depth at the first and last epoch on a log scale, so vanishing and exploding values show.
/// </summary>
public static partial class ExperimentPlots
{
    /// <summary>Values at or below this are drawn at it on log axes (a zero-initialised layer's statistics are 0).</summary>
    public const double LogFloor = 1e-12;

    /// <summary>Writes the plots; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string directory, ExperimentSpec spec, ExperimentRecord record,
        IReadOnlyDictionary<string, IReadOnlyList<EpochMetrics>> histories)
    {
        var folder = Path.Combine(directory, Trainer.Runs.RunFiles.Plots);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var metric in spec.Metrics)
        {
            var plot = new Plot();
            var values = spec.Variants.SelectMany(v => histories[v.Name]).Select(h => h[metric]).OfType<double>().Where(double.IsFinite).ToList();
            if (values.Count == 0) continue;
            // Learning rates of different variants span decades: a log axis keeps the small ones off the floor.
            var log = metric == MetricNames.LearningRate && values.All(v => v > 0) && values.Max() / values.Min() >= 10;
            foreach (var variant in spec.Variants)
            {
                var points = histories[variant.Name].Where(h => h[metric] is { } v && double.IsFinite(v) && (!log || v > 0)).ToList();
                if (points.Count == 0) continue;
                var line = plot.Add.Scatter(points.Select(h => (double)h.Epoch).ToArray(),
                    points.Select(h => log ? Math.Log10(h[metric]!.Value) : h[metric]!.Value).ToArray());
                line.LegendText = variant.Name;
            }
            if (log) LogTicks(plot.Axes.Left);
            plot.Title($"{spec.Name}: {metric}");
            plot.XLabel("epoch");
            plot.YLabel(log ? $"{metric} (log scale)" : metric);
            plot.ShowLegend(Edge.Right);
            written.Add(Save(plot, folder, $"{Safe(metric)}.png"));
        }
        if (spec.SweepAxis is { } axis && Sweep(spec, record, axis) is { } sweep) written.Add(Save(sweep, folder, $"{Safe(spec.Objective)}-vs-{Safe(axis.ShortName)}.png"));
        written.AddRange(Layers(spec, histories, folder));
        return written;
    }

    private static Plot? Sweep(ExperimentSpec spec, ExperimentRecord record, GridAxis axis)
    {
        var values = axis.Values.Select(v => v!.GetValue<double>()).ToList();
        var log = values.All(v => v > 0) && values.Max() / values.Min() >= 10;
        var plot = new Plot();
        var any = false;
        var groups = spec.Variants.Select((v, i) => (Variant: v, Line: record.Variants[i])).GroupBy(p => p.Variant.Group);
        foreach (var group in groups)
        {
            var points = group.Where(p => p.Line.BestObjective is { } b && double.IsFinite(b) && p.Variant.Overrides.ContainsKey(axis.Path))
                .Select(p => (X: p.Variant.Overrides[axis.Path]!.GetValue<double>(), Y: p.Line.BestObjective!.Value))
                .OrderBy(p => p.X).ToList();
            if (points.Count == 0) continue;
            var line = plot.Add.Scatter(points.Select(p => log ? Math.Log10(p.X) : p.X).ToArray(), points.Select(p => p.Y).ToArray());
            line.LegendText = group.Key.Length == 0 ? spec.Objective : group.Key;
            line.MarkerSize = 8;
            any = true;
        }
        if (!any) return null;
        if (log) LogTicks(plot.Axes.Bottom);
        plot.Title($"{spec.Name}: best {spec.Objective} vs {axis.Path}");
        plot.XLabel(log ? $"{axis.Path} (log scale)" : axis.Path);
        plot.YLabel($"best {spec.Objective}");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static IEnumerable<string> Layers(ExperimentSpec spec, IReadOnlyDictionary<string, IReadOnlyList<EpochMetrics>> histories, string folder)
    {
        var stats = histories.Values.SelectMany(h => h).SelectMany(e => e.Values.Keys)
            .Select(k => LayerMetric().Match(k)).Where(m => m.Success).Select(m => m.Groups[2].Value).Distinct().Order().ToList();
        foreach (var stat in stats)
        {
            bool Has(EpochMetrics e) => e.Values.Keys.Any(k => LayerMetric().Match(k) is { Success: true } m && m.Groups[2].Value == stat);
            // The first and last epochs that were measured (LayerStats may skip epochs).
            foreach (var (label, pick) in new (string, Func<IReadOnlyList<EpochMetrics>, EpochMetrics?>)[] { ("first", h => h.FirstOrDefault(Has)), ("last", h => h.LastOrDefault(Has)) })
            {
                var plot = new Plot();
                var any = false;
                foreach (var variant in spec.Variants)
                {
                    if (pick(histories[variant.Name]) is not { } epoch) continue;
                    var points = epoch.Values.Select(kv => (Match: LayerMetric().Match(kv.Key), kv.Value))
                        .Where(p => p.Match.Success && p.Match.Groups[2].Value == stat && double.IsFinite(p.Value))
                        .Select(p => (Layer: int.Parse(p.Match.Groups[1].Value, CultureInfo.InvariantCulture), p.Value)).OrderBy(p => p.Layer).ToList();
                    if (points.Count == 0) continue;
                    var line = plot.Add.Scatter(points.Select(p => (double)p.Layer).ToArray(), points.Select(p => Math.Log10(Math.Max(p.Value, LogFloor))).ToArray());
                    line.LegendText = variant.Name;
                    any = true;
                }
                if (!any) continue;
                LogTicks(plot.Axes.Left);
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
                plot.Title($"{spec.Name}: {stat} per layer, {label} epoch");
                plot.XLabel("layer (input → output)");
                plot.YLabel($"{stat} (log scale)");
                plot.ShowLegend(Edge.Right);
                yield return Save(plot, folder, $"layers-{Safe(stat)}-{label}-epoch.png");
            }
        }
    }

    private static void LogTicks(ScottPlot.IAxis axis) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            LabelFormatter = v => Math.Pow(10, v).ToString("G3", CultureInfo.InvariantCulture),
        };

    private static string Save(Plot plot, string folder, string file)
    {
        var path = Path.Combine(folder, file);
        plot.SavePng(path, 1100, 560);
        return path;
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-'));

    [GeneratedRegex(@"^layer(\d+)_(\w+)$")]
    private static partial Regex LayerMetric();
}
