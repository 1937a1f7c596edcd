using System.Globalization;
using Trainer.Search;

namespace Trainer.Reports;

/// <summary>The study report's "Importance" section: each parameter's share of <see cref="ParameterImportance"/> with a bar.</summary>
internal static class StudyImportanceSection
{
    /// <summary>The id of the section's heading.</summary>
    public const string SectionId = "importance";

    /// <summary>The id of the importance table, one body row per parameter.</summary>
    public const string TableId = "importance-table";

    public static void Render(HtmlPage page, SearchSpec spec, IReadOnlyList<TrialRecord> trials)
    {
        page.Heading(2, "Importance", SectionId);
        var importance = ParameterImportance.Estimate(spec.Space, trials);
        if (importance.Reason is { } reason)
        {
            page.Paragraph($"No importance yet: {reason}.");
            return;
        }
        page.Paragraph($"How much each parameter explains the objective: a random forest of regression trees over the {importance.Trials} complete trials, " +
                       "on each parameter's own scale; a parameter's share is the decrease in squared error of the splits on it (mean decrease in impurity).");
        page.Table(TableId, ["Parameter", "Share", ""], importance.Shares.Select(s => (IReadOnlyList<HtmlCell>)
        [
            new HtmlCell($"<code>{HtmlPage.Encode(s.Parameter)}</code>"),
            new HtmlCell(HtmlPage.Encode(s.Share.ToString("0.0%", CultureInfo.InvariantCulture)), s.Share.ToString("R", CultureInfo.InvariantCulture), "num"),
            new HtmlCell($"<span class=\"importance-bar\" style=\"display:inline-block;height:0.8em;background:currentColor;opacity:0.6;" +
                         $"width:{(s.Share * 20).ToString("0.###", CultureInfo.InvariantCulture)}em\"></span>"),
        ]));
    }
}
