using Trainer.Search;

namespace Trainer.Reports;

/// <summary>A multi-objective study's Pareto front in the study report: one row per front trial, best first by the first objective.</summary>
internal static class StudyFrontHtml
{
    /// <summary>The id of the front's table.</summary>
    public const string TableId = "pareto-front";

    /// <summary>Adds the "Pareto front" section (heading id <c>front</c>).</summary>
    public static void Add(HtmlPage page, SearchSpec spec, IReadOnlyList<TrialRecord> trials)
    {
        page.Heading(2, "Pareto front", "front");
        var front = StudyFront.Of(spec, trials);
        if (front.Count == 0)
        {
            page.Paragraph("No trial has completed yet.");
            return;
        }
        page.Paragraph($"The {front.Count} complete trials no other trial beats on every objective ({StudyFront.Describe(spec)}); the plot pareto-front shows them.");
        var keys = spec.Space.Select(d => d.Path).Concat(front.SelectMany(t => t.Parameters.Keys)).Distinct().ToList();
        var ordered = spec.Objectives[0].Maximize ? front.OrderByDescending(t => t.Values![0]) : front.OrderBy(t => t.Values![0]);
        page.Table(TableId, ["Trial", .. spec.Objectives.Select(o => o.Metric), .. keys], ordered.Select(t => (IReadOnlyList<HtmlCell>)
        [
            HtmlCell.Number(t.Number),
            .. t.Values!.Select(v => HtmlCell.Number(v)),
            .. keys.Select(k => t.Parameters.TryGetValue(k, out var v) ? (ReportFormat.Parse(v) is { } number ? HtmlCell.Number(number) : HtmlCell.Text(v)) : HtmlCell.Number(null)),
        ]));
    }
}
