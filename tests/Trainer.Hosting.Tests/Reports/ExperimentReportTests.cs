using System.Text.Json;
using Trainer.Reports;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Reports;

public sealed class ExperimentReportTests
{
    private TempFolder folder = null!;

    [SetUp]
    public void SetUp() => folder = TempFolder.AsWorkingDirectory();

    [TearDown]
    public void TearDown() => folder.Dispose();

    [Test]
    public void ComparesTheVariantsShowsTheOverlaysInNameOrderAndGivesEachVariantASection()
    {
        var experiment = SyntheticRun.Experiment(folder.File("exp"));

        var html = ExperimentReport.Render(experiment);

        Assert.That(html, Does.Contain("<title>optimizers · experiment · 4 variants — Trainer experiment report</title>"));
        Assert.That(html, Does.Contain("<dt>Recipe</dt><dd>recipes/optimizers.json</dd>").And.Contain("<dt>Duration</dt><dd>12.3 s</dd>"));
        Assert.That(html, Does.Contain("<dd>1 completed, 1 stopped_early, 1 failed, 1 interrupted</dd>"));
        var rows = ReportHtml.Rows(html, ExperimentReport.ComparisonTableId);
        Assert.That(rows, Has.Count.EqualTo(4));
        Assert.That(html, Does.Contain("<th scope=\"col\">train_loss</th><th scope=\"col\">val_loss</th><th scope=\"col\">val_accuracy</th><th scope=\"col\">test_accuracy</th>"));
        Assert.That(rows[0], Does.Contain("<code>Optimizer:Kind</code> = <code>sgd</code>").And.Contain("<code>Optimizer:LearningRate</code> = <code>0.1</code>"));
        Assert.That(rows[1], Does.Contain("<code>Model:Hidden</code> = <code>[64,32]</code>").And.Contain("class=\"num best\" title=\"0.9\">0.9000</td>"));
        Assert.That(rows[2], Does.Contain("<span class=\"badge bad\">failed</span>").And.Contain("<td class=\"num missing\">—</td>"));
        Assert.That(rows[3], Does.Contain("<code>Training:Seed</code> = <code>true</code>").And.Contain("<span class=\"badge warn\">interrupted</span>"));

        var overlays = html[html.IndexOf("id=\"plots\"", StringComparison.Ordinal)..html.IndexOf("id=\"variants\"", StringComparison.Ordinal)];
        Assert.That(ReportHtml.Count(overlays, "img"), Is.EqualTo(2));
        Assert.That(overlays.IndexOf("accuracy.png", StringComparison.Ordinal), Is.LessThan(overlays.IndexOf("val_loss.png", StringComparison.Ordinal)));
        Assert.That(ReportHtml.Count(html, "details class=\"variant\""), Is.EqualTo(4));
        Assert.That(ReportHtml.Count(html, "img"), Is.EqualTo(2 + 3 + 3), "the overlays and each trained variant's own plots");
        Assert.That(html, Does.Contain("the variant&#x27;s folder variants/ghost does not exist (the variant never started?)."));
        Assert.That(html, Does.Contain("summary.json is missing"), "the failed variant's missing files");
        Assert.That(html, Does.Not.Contain("class=\"variant-report\""), "no variant report was written");
        ReportHtml.AssertSelfContained(html);
    }

    [Test]
    public void EncodesHostileVariantNamesOverridesAndMetrics()
    {
        var experiment = folder.File("exp");
        Directory.CreateDirectory(experiment);
        File.WriteAllText(Path.Combine(experiment, "experiment.json"), JsonSerializer.Serialize(new
        {
            Name = "<script>alert(1)</script>",
            Variants = new[]
            {
                new { Name = "\"><img src=x onerror=alert(2)>", Overrides = new Dictionary<string, object> { ["<k>"] = "</code><script>" },
                      Metrics = new Dictionary<string, double> { ["<m>"] = 1 } },
            },
        }));

        var html = ExperimentReport.Render(experiment);

        Assert.That(html, Does.Not.Contain("<script>").And.Not.Contain("<img src=x").And.Not.Contain("<k>").And.Not.Contain("<m>"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.Contain("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
        Assert.That(html, Does.Contain("id=\"variant-0-img-src-x-onerror-alert-2\""), "ids are made of safe characters");
    }

    [Test]
    public void AnUnreadableExperimentJsonFallsBackToTheVariantFoldersAndComparisonCsv()
    {
        var experiment = SyntheticRun.Experiment(folder.File("exp"));
        File.WriteAllText(Path.Combine(experiment, "experiment.json"), "{ \"Name\": ");

        var html = ExperimentReport.Render(experiment);

        Assert.That(html, Does.Contain("experiment.json could not be read:"));
        Assert.That(ReportHtml.Rows(html, "comparison-csv"), Has.Count.EqualTo(2));
        Assert.That(ReportHtml.Rows(html, ExperimentReport.ComparisonTableId), Has.Count.EqualTo(3), "adam, broken and sgd, found in variants/");
        Assert.That(html, Does.Contain("<title>exp · experiment · 3 variants"));
    }

    [Test]
    public void AnExperimentWithoutVariantsOrPlotsSaysSo()
    {
        folder.Write("exp/experiment.json", """{"Name":"empty","Variants":[]}""");

        var html = ExperimentReport.Render(folder.File("exp"));

        Assert.That(html, Does.Contain("experiment.json lists none.").And.Contain("No variants to compare.").And.Contain("no plots/ folder"));
        Assert.That(ReportHtml.Count(html, "img"), Is.Zero);
    }
}
