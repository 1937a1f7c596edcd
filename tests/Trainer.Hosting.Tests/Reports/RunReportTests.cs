using Trainer.Reports;
using Trainer.Hosting.Tests.Support;

namespace Trainer.Hosting.Tests.Reports;

public sealed class RunReportTests
{
    private TempFolder folder = null!;

    [SetUp]
    public void SetUp() => folder = TempFolder.AsWorkingDirectory();

    [TearDown]
    public void TearDown() => folder.Dispose();

    [Test]
    public void ShowsTheStatusFinalMetricsEveryPlotAndOneRowPerEpoch()
    {
        var run = SyntheticRun.Write(folder.File("run-1"), "digits", epochs: 7, status: "stopped-early", stopMessage: "val_loss did not improve for 3 checks");

        var html = RunReport.Render(run);

        Assert.That(html, Does.Contain("<title>digits · run-1 · stopped-early — Trainer run report</title>"));
        Assert.That(html, Does.Contain("<dt>Stop reason</dt><dd>patience-exhausted: val_loss did not improve for 3 checks</dd>"));
        Assert.That(html, Does.Contain("<dt>Best epoch</dt><dd>7</dd>").And.Contain("<dt>Device</dt><dd>cpu</dd>").And.Contain("<dt>Samples/s</dt><dd>12,346</dd>"));
        Assert.That(ReportHtml.Rows(html, "final-metrics-table"), Has.Count.EqualTo(3));
        Assert.That(ReportHtml.Rows(html, RunReport.EpochTableId), Has.Count.EqualTo(7));
        Assert.That(ReportHtml.Rows(html, RunReport.EpochTableId)[6], Does.StartWith("<tr class=\"best-epoch\">"));
        Assert.That(html, Does.Contain("<th scope=\"col\">train_accuracy</th>"), "every metrics.csv column");
        Assert.That(html, Does.Contain("title=\"0.14285714285714285\">0.1429</td>"), "four decimals, the exact value as the tooltip");
        Assert.That(ReportHtml.Count(html, "img"), Is.EqualTo(3));
        Assert.That(html.IndexOf("alt=\"loss\"", StringComparison.Ordinal), Is.LessThan(html.IndexOf("alt=\"accuracy\"", StringComparison.Ordinal)), "loss first");
        Assert.That(html, Does.Contain("src=\"data:image/png;base64,iVBORw0KGgo"));
        Assert.That(html, Does.Contain("<pre id=\"recipe-json\">{\n  &quot;Name&quot;: &quot;digits&quot;,"), "the recipe, indented");
        Assert.That(html, Does.Contain("<dt>TorchSharp</dt><dd>0.107").And.Contain("<dt>Processors</dt>").And.Contain("<dt>.NET</dt><dd>.NET 10"));
        Assert.That(html, Does.Contain("None: the log has no warnings or errors."));
        Assert.That(html, Does.Not.Contain("id=\"missing\""));
        ReportHtml.AssertSelfContained(html);
    }

    [Test]
    public void EncodesHostileTextFromEveryFile()
    {
        const string hostile = "<script>alert('x')</script>";
        var run = SyntheticRun.Write(folder.File("run"), hostile, stopMessage: "<img src=x onerror=alert(1)>",
            metrics: new Dictionary<string, double> { ["<b>metric</b>"] = 1 },
            logLines: """{"@t":"2026-11-23T13:00:00Z","@mt":"Bad {Value}","@l":"Warning","Value":"<iframe src=\"https://evil.example\">"}""" + "\n");
        File.AppendAllText(Path.Combine(run, "metrics.csv"), "\"<td>oops</td>\",x\n");

        var html = RunReport.Render(run);

        Assert.That(html, Does.Not.Contain("<script>").And.Not.Contain("<img src=x").And.Not.Contain("<iframe").And.Not.Contain("<b>metric").And.Not.Contain("<td>oops"));
        Assert.That(html, Does.Contain("<title>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; · run"));
        Assert.That(html, Does.Contain("&lt;img src=x onerror=alert(1)&gt;").And.Contain("&lt;b&gt;metric&lt;/b&gt;").And.Contain("&lt;td&gt;oops&lt;/td&gt;"));
        Assert.That(html, Does.Contain("Bad &lt;iframe src=&quot;https://evil.example&quot;&gt;"));
        Assert.That(ReportHtml.Count(html, "img"), Is.EqualTo(3), "only the plots are images");
    }

    [Test]
    public void ARunWithOnlyItsRecipeSaysWhatIsMissingAndWhatThatMeans()
    {
        folder.Write("run/recipe.json", """{"Name":"early","Training":{"Epochs":3}}""");

        var html = RunReport.Render(folder.File("run"));

        Assert.That(html, Does.Contain("<title>early · run · unknown — Trainer run report</title>"));
        Assert.That(html, Does.Contain("summary.json is missing: the run is still in progress, or its process was killed before it finished; its status is unknown."));
        Assert.That(html, Does.Contain("metrics.csv is missing: no epoch has finished, so there is no per-epoch table."));
        Assert.That(html, Does.Contain("log.clef is missing").And.Contain("no plots/ folder: plots are drawn when a run ends"));
        Assert.That(html, Does.Contain("No final metrics (summary.json is missing or records none).").And.Contain("No per-epoch metrics (metrics.csv is missing or empty)."));
        Assert.That(ReportHtml.Count(html, "img"), Is.Zero);
        Assert.That(html, Does.Contain("<dt>Training device (summary.json)</dt><dd>unknown</dd>"));
    }

    [Test]
    public void UnreadableFilesAreNamedAndTheRestStillRenders()
    {
        var run = SyntheticRun.Write(folder.File("run"), "digits", epochs: 2);
        File.WriteAllText(Path.Combine(run, "summary.json"), "{ \"recipe\": ");
        File.WriteAllText(Path.Combine(run, "recipe.json"), "not json at all");
        File.WriteAllBytes(Path.Combine(run, "plots", "zz-broken.png"), [1, 2, 3]);
        File.AppendAllText(Path.Combine(run, "log.clef"), "{\"@t\":\"2026-11-23T13:00:01Z\",\"@l\":\"Err");

        var html = RunReport.Render(run);

        Assert.That(html, Does.Contain("summary.json could not be read:"));
        Assert.That(html, Does.Contain("recipe.json is not valid JSON").And.Contain("<pre id=\"recipe-json\">not json at all</pre>"));
        Assert.That(html, Does.Contain("plots/zz-broken.png is left out: it is not a PNG image"));
        Assert.That(html, Does.Contain("log.clef: 1 line(s) are not JSON (cut short by a crash?) and were skipped."));
        Assert.That(ReportHtml.Rows(html, RunReport.EpochTableId), Has.Count.EqualTo(2));
        Assert.That(ReportHtml.Count(html, "img"), Is.EqualTo(3));
    }

    [Test]
    public void ListsTheLogsWarningsAndErrorsWithTheirMessagesFilledIn()
    {
        var log = string.Join("\n",
            """{"@t":"2026-11-23T13:00:00Z","@mt":"Epoch {Epoch}","Epoch":1}""",
            """{"@t":"2026-11-23T13:00:01Z","@mt":"Loss {Loss:0.00} is high at {{epoch}} {Epoch}","@l":"Warning","Loss":3.14159,"Epoch":2}""",
            """{"@t":"2026-11-23T13:00:02Z","@m":"Training failed","@l":"Error","@x":"System.InvalidOperationException: boom\n   at Trainer.Loop()"}""",
            "");
        var run = SyntheticRun.Write(folder.File("run"), status: "failed", logLines: log);

        var html = RunReport.Render(run);

        var rows = ReportHtml.Rows(html, "log-events");
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0], Does.Contain("Warning").And.Contain("Loss 3.14 is high at {epoch} 2"));
        Assert.That(rows[1], Does.Contain("Error").And.Contain("Training failed").And.Contain("<pre>System.InvalidOperationException: boom"));
    }
}
