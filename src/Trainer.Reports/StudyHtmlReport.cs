using Trainer.Search;

namespace Trainer.Reports;

/// <summary>
/// <c>trainer report --study NAME --html FILE</c>: a study as one self-contained HTML page: its counts, the best
/// trial's parameters, every trial best first, and the plots <see cref="StudyPlots"/> draws.
/// </summary>
public static class StudyHtmlReport
{
    /// <summary>The id of the trials table, one body row per trial.</summary>
    public const string TrialsTableId = "trials";

    /// <summary>Writes the report to <paramref name="path"/>; returns its full path. A bad path is a <see cref="Recipes.RecipeException"/> naming --html.</summary>
    public static string Write(string path, SearchSpec spec, IReadOnlyList<TrialRecord> trials)
    {
        var full = ReportFile.Resolve(path, "--html");
        return ReportFile.Write(full, Render(spec, trials, full), "--html");
    }

    /// <summary>Renders the page; links to trials' run reports are relative to <paramref name="reportPath"/> (default: the working directory).</summary>
    public static string Render(SearchSpec spec, IReadOnlyList<TrialRecord> trials, string? reportPath = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(reportPath ?? HtmlReport.DefaultFileName))!;
        var best = StudyReport.Best(trials, spec.Maximize);
        var page = new HtmlPage($"{spec.Study} · study · {trials.Count} trials — Trainer study report");
        page.Raw("<header>\n<h1>").Text(spec.Study).Raw(" <small>study</small></h1>\n</header>\n");
        page.Contents([("best", "Best trial"), .. spec.IsMultiObjective ? [("front", "Pareto front")] : Array.Empty<(string, string)>(), ("plots", "Plots"),
            (StudyImportanceSection.SectionId, "Importance"), ("trials-section", "Trials")]);
        page.Facts(
        [
            ("Study", spec.Study),
            ("Objective", spec.IsMultiObjective ? StudyFront.Describe(spec) : $"{(spec.Maximize ? "maximize" : "minimize")} {spec.Objective}"),
            ("Trials", ReportFormat.Integer(trials.Count)),
            ("Complete", Count(trials, TrialState.Complete)),
            ("Pruned", Count(trials, TrialState.Pruned)),
            ("Failed", Count(trials, TrialState.Failed)),
            ("Running", Count(trials, TrialState.Running)),
        ], "study-facts");

        page.Heading(2, "Best trial", "best");
        if (best is null) page.Paragraph("No trial has completed yet.");
        else
        {
            page.Facts(
            [
                ("Trial", ReportFormat.Integer(best.Number)),
                (spec.Objective, ReportFormat.Number(best.Value!.Value)),
                ("Duration", best.DurationSeconds is { } s ? ReportFormat.Duration(s) : null),
                ("Run directory", best.RunDirectory),
            ], "best-facts");
            if (RunReportHref(best, folder) is { } href) page.Raw($"<p><a href=\"{HtmlPage.Encode(href)}\">Open the best trial's run report</a></p>\n");
            page.Table("best-parameters", ["Parameter", "Value"],
                best.Parameters.Select(p => (IReadOnlyList<HtmlCell>)[new HtmlCell($"<code>{HtmlPage.Encode(p.Key)}</code>"), HtmlCell.Text(p.Value)]));
        }

        if (spec.IsMultiObjective) StudyFrontHtml.Add(page, spec, trials);

        page.Heading(2, "Plots", "plots");
        Plots(page, spec, trials);
        StudyImportanceSection.Render(page, spec, trials);

        page.Heading(2, "Trials", "trials-section");
        page.Paragraph("Best first: complete trials by objective, then pruned ones, running ones and failed ones.");
        var keys = spec.Space.Select(d => d.Path).Concat(trials.SelectMany(t => t.Parameters.Keys)).Distinct().ToList();
        var ranked = Ranked(trials, spec.Maximize);
        page.Table(TrialsTableId, ["Rank", "Trial", "State", spec.Objective, "Duration", .. keys, "Failure"], ranked.Select((t, i) => (IReadOnlyList<HtmlCell>)
        [
            t.State == TrialState.Complete ? HtmlCell.Number(i + 1) : HtmlCell.Number(null),
            RunReportHref(t, folder) is { } href ? new HtmlCell($"<a href=\"{HtmlPage.Encode(href)}\">{t.Number}</a>", null, "num") : HtmlCell.Number(t.Number),
            new(HtmlPage.Badge(t.State.ToString().ToLowerInvariant())),
            HtmlCell.Number(t.Value, t == best ? "best" : null),
            t.DurationSeconds is { } s ? new HtmlCell(HtmlPage.Encode(ReportFormat.Duration(s)), ReportFormat.Exact(s), "num") : HtmlCell.Number(null),
            .. keys.Select(k => t.Parameters.TryGetValue(k, out var v) ? (ReportFormat.Parse(v) is { } number ? HtmlCell.Number(number) : HtmlCell.Text(v)) : HtmlCell.Number(null)),
            HtmlCell.Text(t.Failure),
        ]));
        return page.Finish($"Made by 'trainer report --study' at {ReportFormat.Time(DateTimeOffset.Now)}.");
    }

    private static string Count(IReadOnlyList<TrialRecord> trials, TrialState state) => ReportFormat.Integer(trials.Count(t => t.State == state));

    private static IEnumerable<TrialRecord> Ranked(IReadOnlyList<TrialRecord> trials, bool maximize)
    {
        IEnumerable<TrialRecord> ByValue(TrialState state)
        {
            var these = trials.Where(t => t.State == state);
            return maximize
                ? these.OrderByDescending(t => t.Value ?? double.NegativeInfinity).ThenBy(t => t.Number)
                : these.OrderBy(t => t.Value ?? double.PositiveInfinity).ThenBy(t => t.Number);
        }
        return ByValue(TrialState.Complete).Concat(ByValue(TrialState.Pruned))
            .Concat(trials.Where(t => t.State is not (TrialState.Complete or TrialState.Pruned)).OrderBy(t => t.State == TrialState.Failed).ThenBy(t => t.Number));
    }

    private static string? RunReportHref(TrialRecord trial, string folder) =>
        trial.RunDirectory is { Length: > 0 } directory && File.Exists(Path.Combine(directory, HtmlReport.DefaultFileName))
            ? HtmlPage.Href(Path.GetRelativePath(folder, Path.Combine(directory, HtmlReport.DefaultFileName)))
            : null;

    /// <summary>Draws the study's plots into a temporary folder, embeds them, and deletes the folder.</summary>
    private static void Plots(HtmlPage page, SearchSpec spec, IReadOnlyList<TrialRecord> trials)
    {
        var temporary = Directory.CreateTempSubdirectory("trainer-study-plots-").FullName;
        try
        {
            StudyPlots.Write(temporary, spec, trials);
            page.Notice("Plots:", page.Plots(Path.Combine(temporary, Trainer.Runs.RunFiles.Plots), "plots"));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Plots are a convenience: a study whose values cannot be drawn still gets its tables.
            page.Notice("Plots:", [$"the study's plots could not be drawn: {e.Message}"]);
        }
        finally
        {
            Directory.Delete(temporary, recursive: true);
        }
    }
}
