using System.Text.Json;

namespace Trainer.Reports;

/// <summary>
/// The HTML report of an experiment directory (<c>experiment.json</c>, <c>comparison.csv</c>, <c>plots/</c> and
/// <c>variants/&lt;name&gt;/</c> run directories): a comparison table of the variants, the overlay plots, and one
/// section per variant with its own final metrics, plots and a link to its own report when that exists.
/// </summary>
public static partial class ExperimentReport
{
    /// <summary>The id of the comparison table, one body row per variant.</summary>
    public const string ComparisonTableId = "comparison";

    /// <summary>The experiment's comparison table file.</summary>
    public const string ComparisonFile = "comparison.csv";

    /// <summary>The folder of variant run directories.</summary>
    public const string VariantsFolder = "variants";

    /// <summary>Renders the report of the experiment in <paramref name="experimentDirectory"/> as one self-contained page.</summary>
    /// <param name="experimentDirectory">The folder holding experiment.json.</param>
    /// <param name="reportPath">Where the page will be written, so links to the variants' reports are relative to it. Default: report.html in the experiment directory.</param>
    public static string Render(string experimentDirectory, string? reportPath = null)
    {
        var directory = Path.GetFullPath(experimentDirectory);
        var reportFolder = Path.GetDirectoryName(Path.GetFullPath(reportPath ?? Path.Combine(directory, HtmlReport.DefaultFileName)))!;
        ExperimentManifest? manifest = null;
        var problems = new List<string>();
        try
        {
            manifest = ExperimentManifest.Read(Path.Combine(directory, ExperimentManifest.FileName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            problems.Add($"{ExperimentManifest.FileName} could not be read: {e.Message}");
        }
        var variants = Variants(directory, manifest);
        var name = manifest?.Name is { Length: > 0 } n ? n : Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));

        var page = new HtmlPage($"{name} · experiment · {variants.Count} variants — Trainer experiment report");
        page.Raw("<header>\n<h1>").Text(name).Raw(" <small>experiment</small></h1>\n</header>\n");
        page.Contents([("comparison-section", "Comparison"), ("plots", "Overlay plots"), ("variants", "Variants"), ("environment", "Environment")]);
        page.Facts(
        [
            ("Experiment", name),
            ("Recipe", manifest?.Recipe),
            ("Started", manifest?.StartedAt is { } started ? ReportFormat.Time(started) : null),
            ("Duration", manifest?.DurationSeconds is { } seconds ? ReportFormat.Duration(seconds) : null),
            ("Variants", ReportFormat.Integer(variants.Count)),
            ("Statuses", variants.Count == 0 ? null : string.Join(", ", variants.GroupBy(v => v.Entry.Status ?? "unknown").Select(g => $"{g.Count()} {g.Key}"))),
        ], "experiment-facts");
        page.Notice("Unreadable files:", problems, error: true);
        if (manifest is not null && manifest.Variants.Count == 0)
            page.Notice("No variants:",
                [$"{ExperimentManifest.FileName} lists none" + (variants.Count > 0 ? $"; showing the {variants.Count} folder(s) found in {VariantsFolder}/." : ".")]);

        page.Heading(2, "Comparison", "comparison-section");
        Comparison(page, variants, reportFolder);
        if (manifest is null && File.Exists(Path.Combine(directory, ComparisonFile))) ComparisonCsv(page, directory);

        page.Heading(2, "Overlay plots", "plots");
        page.Notice("Plots:", page.Plots(Path.Combine(directory, Trainer.Runs.RunFiles.Plots), "plots"));

        page.Heading(2, "Variants", "variants");
        if (variants.Count == 0) page.Paragraph("No variants.");
        for (var i = 0; i < variants.Count; i++) Variant(page, variants[i], i, reportFolder);

        page.Heading(2, "Environment", "environment");
        page.Paragraph("The machine that made this report; the training device is the variants' own, from their summary.json.");
        var devices = variants.Select(v => v.Run?.Summary?.Device).OfType<string>().Distinct().ToList();
        page.Facts(ReportEnvironment.Facts(devices.Count == 0 ? null : string.Join(", ", devices), DateTimeOffset.Now), "environment-facts");
        return page.Finish($"Made by 'trainer report' from {directory}.");
    }

    private sealed record Loaded(ExperimentVariantView Entry, string Directory, RunFolder? Run)
    {
        /// <summary>The experiment's metrics for the variant, or its own summary's when the experiment recorded none.</summary>
        public IReadOnlyDictionary<string, double?> Metrics => Entry.Metrics.Count > 0 || Run?.Summary is null
            ? Entry.Metrics
            : Run.Summary.Metrics.ToDictionary(p => p.Key, p => (double?)p.Value);

        public string Report => Path.Combine(Directory, HtmlReport.DefaultFileName);
    }

    private static List<Loaded> Variants(string directory, ExperimentManifest? manifest)
    {
        var entries = manifest?.Variants ?? [];
        if (entries.Count == 0 && Directory.Exists(Path.Combine(directory, VariantsFolder)))
            entries = Directory.GetDirectories(Path.Combine(directory, VariantsFolder)).Order(StringComparer.Ordinal)
                .Select(d => new ExperimentVariantView(Path.GetFileName(d), [], Path.Combine(VariantsFolder, Path.GetFileName(d)), null, null, null, null, null, new Dictionary<string, double?>()))
                .ToList();
        return entries.Select(e =>
        {
            var folder = Path.GetFullPath(Path.Combine(directory, e.Directory is { Length: > 0 } d ? d : Path.Combine(VariantsFolder, e.Name)));
            return new Loaded(e, folder, Directory.Exists(folder) ? RunFolder.Load(folder) : null);
        }).ToList();
    }

    private static void Comparison(HtmlPage page, List<Loaded> variants, string reportFolder)
    {
        if (variants.Count == 0)
        {
            page.Paragraph("No variants to compare.");
            return;
        }
        // Per-layer statistics (layer01_act_std, …) have their own plots; a column each would bury the comparison.
        var metrics = MetricOrder.Sort(variants.SelectMany(v => v.Metrics.Keys).Where(m => !PerLayerMetric().IsMatch(m)));
        var best = metrics.ToDictionary(m => m, m =>
        {
            var values = variants.Select(v => v.Metrics.GetValueOrDefault(m)).OfType<double>().Where(double.IsFinite).ToList();
            return values.Count < 2 || MetricOrder.HigherIsBetter(m) is not { } higher ? (double?)null : higher ? values.Max() : values.Min();
        });
        var integer = metrics.ToDictionary(m => m, m => variants.Select(v => v.Metrics.GetValueOrDefault(m)).OfType<double>().All(ReportFormat.IsInteger));
        page.Table(ComparisonTableId, ["Variant", "Overrides", "Status", "Epochs", "Best epoch", .. metrics, "Duration", "Report"], variants.Select((v, i) =>
        {
            var e = v.Entry;
            var row = new List<HtmlCell>
            {
                new($"<a href=\"#{HtmlPage.Encode(HtmlPage.Id("variant", e.Name, i))}\">{HtmlPage.Encode(e.Name)}</a>"),
                new(Overrides(e.Overrides)),
                new(HtmlPage.Badge(e.Status ?? v.Run?.Summary?.Status ?? "unknown")),
                HtmlCell.Number(e.Epochs ?? v.Run?.Summary?.Epochs),
                HtmlCell.Number(e.BestEpoch ?? v.Run?.Summary?.BestEpoch),
            };
            row.AddRange(metrics.Select(m => v.Metrics.GetValueOrDefault(m) is { } value
                ? HtmlCell.Number(value, best[m] == value ? "best" : null, integer[m])
                : HtmlCell.Number(null)));
            var seconds = e.DurationSeconds ?? v.Run?.Summary?.DurationSeconds;
            row.Add(seconds is { } s ? new HtmlCell(HtmlPage.Encode(ReportFormat.Duration(s)), ReportFormat.Exact(s), "num") : HtmlCell.Number(null));
            row.Add(ReportHref(v, reportFolder) is { } href
                ? new HtmlCell($"<a class=\"variant-report\" href=\"{HtmlPage.Encode(href)}\">report</a>")
                : new HtmlCell("—", null, "missing"));
            return (IReadOnlyList<HtmlCell>)row;
        }));
        if (best.Values.Any(b => b is not null)) page.Paragraph("Bold: the best value of a column (lowest loss, highest accuracy).");
    }

    private static void ComparisonCsv(HtmlPage page, string directory)
    {
        try
        {
            var table = CsvTable.Read(Path.Combine(directory, ComparisonFile));
            page.Paragraph($"From {ComparisonFile}:");
            page.Table("comparison-csv", table.Header, table.Cells());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            page.Notice("Unreadable files:", [$"{ComparisonFile} could not be read: {e.Message}"], error: true);
        }
    }

    private static void Variant(HtmlPage page, Loaded v, int index, string reportFolder)
    {
        var e = v.Entry;
        var status = e.Status ?? v.Run?.Summary?.Status ?? "unknown";
        page.Raw($"<details class=\"variant\" id=\"{HtmlPage.Encode(HtmlPage.Id("variant", e.Name, index))}\">\n<summary><strong>").Text(e.Name).Raw("</strong> ")
            .Raw(HtmlPage.Badge(status));
        var headline = MetricOrder.Sort(v.Metrics.Keys)
            .Where(m => (m.StartsWith("val_", StringComparison.Ordinal) || m.StartsWith("test_", StringComparison.Ordinal)) && v.Metrics[m] is not null)
            .Take(3).Select(m => $"{m} {ReportFormat.Number(v.Metrics[m]!.Value)}").ToList();
        if (headline.Count > 0) page.Raw(" ").Text(string.Join(" · ", headline));
        page.Raw("</summary>\n");
        if (e.Overrides.Count > 0) page.Raw("<p><strong>Overrides:</strong></p>").Raw(Overrides(e.Overrides)).Raw("\n");
        page.Facts(
        [
            ("Status", status),
            ("Exit code", e.ExitCode is { } code ? ReportFormat.Integer(code) : null),
            ("Epochs", (e.Epochs ?? v.Run?.Summary?.Epochs) is { } epochs ? ReportFormat.Integer(epochs) : null),
            ("Best epoch", (e.BestEpoch ?? v.Run?.Summary?.BestEpoch) is { } best ? ReportFormat.Integer(best) : null),
            ("Duration", (e.DurationSeconds ?? v.Run?.Summary?.DurationSeconds) is { } s ? ReportFormat.Duration(s) : null),
            ("Directory", Path.GetRelativePath(reportFolder, v.Directory)),
        ]);
        if (ReportHref(v, reportFolder) is { } href)
            page.Raw($"<p><a class=\"variant-report\" href=\"{HtmlPage.Encode(href)}\">Open this variant's own report</a></p>\n");
        if (v.Run is null)
        {
            page.Notice("Missing files:", [$"the variant's folder {Path.GetRelativePath(reportFolder, v.Directory)} does not exist (the variant never started?)."]);
            page.Raw("</details>\n");
            return;
        }
        page.Notice("Missing files:", v.Run.Missing);
        page.Notice("Unreadable files:", v.Run.Problems, error: true);
        if (v.Run.Summary?.Error is { Length: > 0 } failure) page.Notice("The variant failed:", [failure], error: true);
        page.Heading(3, "Final metrics");
        RunReport.FinalMetrics(page, v.Run.Summary?.Metrics ?? v.Metrics.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.Value), null);
        page.Heading(3, "Plots");
        page.Notice("Plots:", page.Plots(v.Run.PlotsFolder, "plots", RunReport.PlotOrder));
        page.Raw("</details>\n");
    }

    private static string? ReportHref(Loaded v, string reportFolder) =>
        File.Exists(v.Report) ? HtmlPage.Href(Path.GetRelativePath(reportFolder, v.Report)) : null;

    private static string Overrides(IReadOnlyList<(string Key, string Value)> overrides) => overrides.Count == 0
        ? "<span class=\"muted\">none</span>"
        : "<ul class=\"overrides\">" + string.Concat(overrides.Select(o => $"<li><code>{HtmlPage.Encode(o.Key)}</code> = <code>{HtmlPage.Encode(o.Value)}</code></li>")) + "</ul>";

    [System.Text.RegularExpressions.GeneratedRegex(@"^layer\d+_")]
    private static partial System.Text.RegularExpressions.Regex PerLayerMetric();
}
