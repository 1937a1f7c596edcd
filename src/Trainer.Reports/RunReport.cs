using System.Globalization;
using Trainer.Runs;

namespace Trainer.Reports;

/// <summary>
/// The HTML report of one run directory: status, final metrics, plots, the per-epoch table from metrics.csv, the
/// warnings and errors of log.clef, the recipe and the environment. Whatever the directory lacks is named, not fatal.
/// </summary>
public static class RunReport
{
    /// <summary>The run plots in reading order; any others follow by name.</summary>
    internal static readonly IReadOnlyList<string> PlotOrder = ["loss.png", "accuracy.png", "learning-rate.png"];

    /// <summary>The id of the per-epoch metrics table, one body row per line of metrics.csv.</summary>
    public const string EpochTableId = "epoch-metrics";

    /// <summary>Renders the report of the run in <paramref name="runDirectory"/> as one self-contained HTML page, to be saved inside it.</summary>
    public static string Render(string runDirectory) => Render(runDirectory, Path.Combine(runDirectory, HtmlReport.DefaultFileName));

    /// <summary>
    /// Renders the report of the run in <paramref name="runDirectory"/> as one self-contained HTML page, to be saved as
    /// <paramref name="reportPath"/> (its links to the model package's files are relative to it).
    /// </summary>
    public static string Render(string runDirectory, string reportPath)
    {
        var run = RunFolder.Load(Path.GetFullPath(runDirectory));
        var hasModel = ModelSection.Present(run.Directory);
        var hasEvaluation = EvaluationSection.Present(run.Directory);
        var summary = run.Summary;
        var page = new HtmlPage($"{run.Name} · {run.RunId} · {run.Status} — Trainer run report");
        page.Raw("<header>\n<h1>").Text(run.Name).Raw(" <small>run ").Text(run.RunId).Raw("</small> ").Raw(HtmlPage.Badge(run.Status)).Raw("</h1>\n</header>\n");
        page.Contents([("final-metrics", "Final metrics"), .. hasModel ? [(ModelSection.Id, "Model")] : Array.Empty<(string, string)>(),
            .. hasEvaluation ? [(EvaluationSection.Id, "Evaluation")] : Array.Empty<(string, string)>(), ("plots", "Plots"), ("epochs", "Per-epoch metrics"),
            ("log", "Warnings and errors"), ("recipe", "Recipe"), ("environment", "Environment")]);
        page.Facts(Header(run), "run-facts");
        page.Notice("Missing files:", run.Missing, id: "missing");
        page.Notice("Unreadable files:", run.Problems, error: true);
        if (summary?.Error is { Length: > 0 } failure) page.Notice("The run failed:", [failure], error: true);

        page.Heading(2, "Final metrics", "final-metrics");
        FinalMetrics(page, summary?.Metrics, "final-metrics-table");

        if (hasModel) ModelSection.Render(page, run.Directory, Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
        if (hasEvaluation) EvaluationSection.Render(page, run.Directory);

        page.Heading(2, "Plots", "plots");
        page.Notice("Plots:", page.Plots(run.PlotsFolder, "plots", PlotOrder));

        page.Heading(2, "Per-epoch metrics", "epochs");
        EpochTable(page, run.Metrics, summary?.BestEpoch);

        page.Heading(2, "Warnings and errors", "log");
        LogTable(page, run);

        page.Heading(2, "Recipe", "recipe");
        if (run.Recipe is null) page.Paragraph("No recipe.json.", "muted");
        else page.Pre(run.Recipe, "recipe-json");

        page.Heading(2, "Environment", "environment");
        page.Paragraph("The machine that made this report; the training device is the run's own, from summary.json.");
        page.Facts(ReportEnvironment.Facts(summary?.Device, DateTimeOffset.Now), "environment-facts");
        return page.Finish($"Made by 'trainer report' from {run.Directory}.");
    }

    private static IEnumerable<(string, string?)> Header(RunFolder run)
    {
        var summary = run.Summary;
        yield return ("Recipe", run.Name);
        yield return ("Run id", run.RunId);
        yield return ("Status", run.Status);
        if (summary?.StopReason is { Length: > 0 } reason)
            yield return ("Stop reason", summary.StopMessage is { Length: > 0 } message ? $"{reason}: {message}" : reason);
        if (summary is null) yield break;
        yield return ("Epochs", ReportFormat.Integer(summary.Epochs));
        yield return ("Best epoch", summary.BestEpoch is { } best ? ReportFormat.Integer(best) : "—");
        if (summary.TestedWeights is { Length: > 0 } tested) yield return ("Final metrics of", tested);
        if (summary.StartedAt != default) yield return ("Started", ReportFormat.Time(summary.StartedAt));
        yield return ("Duration", ReportFormat.Duration(summary.DurationSeconds));
        yield return ("Samples/s", ReportFormat.Rate(summary.SamplesPerSecond));
        yield return ("Device", summary.Device ?? "unknown");
    }

    /// <summary>Metric and value rows; a sentence when there are none.</summary>
    internal static void FinalMetrics(HtmlPage page, IReadOnlyDictionary<string, double>? metrics, string? id)
    {
        if (metrics is null || metrics.Count == 0)
        {
            page.Paragraph("No final metrics (summary.json is missing or records none).");
            return;
        }
        page.Table(id, ["Metric", "Value"], MetricOrder.Sort(metrics.Keys).Select(k => (IReadOnlyList<HtmlCell>)[HtmlCell.Text(k), HtmlCell.Number(metrics[k])]));
    }

    private static void EpochTable(HtmlPage page, CsvTable? metrics, int? bestEpoch)
    {
        if (metrics is null || metrics.Header.Count == 0)
        {
            page.Paragraph("No per-epoch metrics (metrics.csv is missing or empty).");
            return;
        }
        var epochColumn = metrics.Header.ToList().IndexOf("epoch");
        var rows = metrics.Rows;
        page.Table(EpochTableId, metrics.Header,
            metrics.Cells(),
            i => bestEpoch is { } best && epochColumn >= 0 && epochColumn < rows[i].Count && rows[i][epochColumn] == best.ToString(CultureInfo.InvariantCulture) ? "best-epoch" : null);
        if (bestEpoch is not null) page.Paragraph("The outlined row is the best epoch.");
    }

    private static void LogTable(HtmlPage page, RunFolder run)
    {
        if (!File.Exists(Path.Combine(run.Directory, RunFolder.LogFile)))
        {
            page.Paragraph("No log.clef.");
            return;
        }
        if (run.Warnings.Count == 0)
        {
            page.Paragraph("None: the log has no warnings or errors.");
            return;
        }
        const int shown = 200;
        page.Table("log-events", ["Time", "Level", "Message"], run.Warnings.Take(shown).Select(e => (IReadOnlyList<HtmlCell>)
        [
            HtmlCell.Text(e.Time, "time"),
            new HtmlCell(HtmlPage.Badge(e.Level, e.Level.Equals("Warning", StringComparison.OrdinalIgnoreCase) ? "warn" : "bad")),
            new HtmlCell(HtmlPage.Encode(e.Message) + (e.Exception is null ? "" : $"<details><summary>exception</summary><pre>{HtmlPage.Encode(e.Exception)}</pre></details>")),
        ]));
        if (run.Warnings.Count > shown) page.Paragraph($"… and {run.Warnings.Count - shown} more in log.clef.");
    }
}
