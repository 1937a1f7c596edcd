using Trainer.Hosting.Tests.Support;
using Trainer.Reports;
using Trainer.Runs;
using Trainer.Tasks;

namespace Trainer.Hosting.Tests.Reports;

/// <summary>The run report's "Model" and "Evaluation" sections, from a hand-written package and an evaluation written through <see cref="EvaluationFile"/>.</summary>
public sealed class RunReportModelTests
{
    private TempFolder folder = null!;

    [SetUp]
    public void SetUp() => folder = new TempFolder();

    [TearDown]
    public void TearDown() => folder.Dispose();

    private static void Evaluate(string run)
    {
        var report = ClassificationReport.Create([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 0, 2], ["T-shirt", "Trouser", "<Bag>"]);
        var evaluation = EvaluationFiles.DefaultFolder(run);
        EvaluationFile.Write(evaluation, new EvaluationResult
        {
            Model = "runs/run-1/model", Data = "idx <test> split", Examples = 6, Loss = 0.75,
            Metrics = new Dictionary<string, double> { ["accuracy"] = report.Accuracy },
            Classification = EvaluationClassification.From(report), CreatedAt = new DateTimeOffset(2026, 12, 4, 9, 30, 0, TimeSpan.Zero),
        });
        ConfusionMatrixPlot.Write(Path.Combine(evaluation, EvaluationFiles.ConfusionPlot), report);
    }

    [Test]
    public void ShowsTheManifestsKeyFactsItsMetricsAndLinksToThePackageFiles()
    {
        var run = SyntheticRun.Write(folder.File("run-1"), "fashion-mnist-mlp");
        ModelPackageSample.Write(run, pytorch: false);

        var html = RunReport.Render(run);

        Assert.That(html, Does.Contain("<a href=\"#model\">Model</a>").And.Contain("<h2 id=\"model\">Model</h2>"));
        Assert.That(html, Does.Contain("<dt>Architecture</dt><dd>mlp</dd>").And.Contain("<dt>Input shape</dt><dd>1 × 28 × 28</dd>")
            .And.Contain("<dt>Parameters</dt><dd>101,770</dd>"));
        Assert.That(html, Does.Contain("<dt>Task</dt><dd>multiclass</dd>").And.Contain("<dt>Outputs</dt><dd>3</dd>"));
        Assert.That(html, Does.Contain("<dt>Classes</dt><dd>T-shirt, Trouser, &lt;Bag&gt;</dd>"), "encoded");
        Assert.That(html, Does.Contain("<dt>Weights</dt><dd>epoch 7: best epoch 7 (restored)</dd>").And.Contain("<dt>Weights file</dt><dd>weights.dat, 12,345 bytes</dd>"));
        Assert.That(html, Does.Contain($"<dt>SHA-256</dt><dd>{ModelPackageSample.Sha256}</dd>"));
        Assert.That(html, Does.Contain("<dt>PyTorch</dt><dd>weights.pt, model.py</dd>").And.Contain("<dt>Created</dt><dd>2026-12-03 12:00:00 &#x2B;00:00</dd>"));
        Assert.That(html, Does.Contain("<dt>Trainer</dt><dd>1.0.0</dd>").And.Contain("<dt>TorchSharp</dt><dd>0.107.0</dd>").And.Contain("<dt>libtorch</dt><dd>2.10.0</dd>"));
        Assert.That(ReportHtml.Rows(html, "model-metrics"), Has.Count.EqualTo(4));
        Assert.That(string.Join("", ReportHtml.Rows(html, "model-metrics")), Does.Contain("<td>test_accuracy</td><td class=\"num\" title=\"0.88\">0.8800</td>"));
        Assert.That(html, Does.Contain("<a href=\"model/model.json\">model/model.json</a>").And.Contain("<a href=\"model/weights.dat\">model/weights.dat</a>")
            .And.Contain("<a href=\"model/model.py\">model/model.py</a>"));
        Assert.That(html, Does.Not.Contain("model/weights.pt"), "only the files that exist");
        Assert.That(html, Does.Not.Contain("id=\"evaluation\""), "no evaluation folder, no section");
        ReportHtml.AssertSelfContained(html);
    }

    [Test]
    public void AManifestMissingFieldsShowsADashForEachAndHostileTextIsEncoded()
    {
        var run = SyntheticRun.Write(folder.File("run"));
        ModelPackageSample.Write(run, """{"architecture": {"kind": null, "type": "<script>alert(1)</script>", "assembly": "My.Models"}, "weights": {"epoch": 3}}""");

        var html = RunReport.Render(run);

        Assert.That(html, Does.Contain("<dt>Architecture</dt><dd>&lt;script&gt;alert(1)&lt;/script&gt; (My.Models)</dd>"));
        Assert.That(html, Does.Contain("<dt>Weights</dt><dd>epoch 3</dd>"));
        foreach (var label in new[] { "Parameters", "PyTorch", "Input shape", "Task", "Outputs", "Classes", "SHA-256", "Trainer", "TorchSharp", "libtorch", "Created" })
            Assert.That(html, Does.Contain($"<dt>{label}</dt><dd>—</dd>"), label);
        Assert.That(html, Does.Not.Contain("<script>"));
        Assert.That(html, Does.Not.Contain("id=\"model-metrics\""));
    }

    [Test]
    public void ReadsThePyTorchEntryUnderEitherSpelling()
    {
        var run = SyntheticRun.Write(folder.File("run"));
        ModelPackageSample.Write(run, ModelPackageSample.Manifest.Replace("\"pytorch\":", "\"pyTorch\":", StringComparison.Ordinal));

        Assert.That(RunReport.Render(run), Does.Contain("<dt>PyTorch</dt><dd>weights.pt, model.py</dd>"));
    }

    [Test]
    public void AnUnreadableOrMissingManifestIsNamedAndTheFilesAreStillLinked()
    {
        var run = SyntheticRun.Write(folder.File("run"));
        var model = ModelPackageSample.Write(run, "{ not json");

        var html = RunReport.Render(run);
        File.Delete(Path.Combine(model, ModelPackageFiles.Manifest));
        var without = RunReport.Render(run);

        Assert.That(html, Does.Contain("model/model.json could not be read:").And.Contain("<a href=\"model/weights.dat\">"));
        Assert.That(without, Does.Contain("model/model.json is missing").And.Contain("<a href=\"model/weights.dat\">"));
    }

    [Test]
    public void LinksAreRelativeToWhereTheReportIsWritten()
    {
        var run = SyntheticRun.Write(folder.File("runs/run-1"));
        ModelPackageSample.Write(run);

        var written = HtmlReport.Write(run, folder.File("reports/run-1.html"));

        Assert.That(File.ReadAllText(written), Does.Contain("<a href=\"../runs/run-1/model/weights.pt\">model/weights.pt</a>"));
    }

    [Test]
    public void ShowsTheEvaluationsMetricsPerClassTableConfusionMatrixAndEmbeddedHeatMap()
    {
        var run = SyntheticRun.Write(folder.File("run-1"));
        ModelPackageSample.Write(run);
        Evaluate(run);

        var html = RunReport.Render(run);

        Assert.That(html, Does.Contain("<a href=\"#evaluation\">Evaluation</a>").And.Contain("<h2 id=\"evaluation\">Evaluation</h2>"));
        Assert.That(html, Does.Contain("<dt>Data</dt><dd>idx &lt;test&gt; split</dd>").And.Contain("<dt>Examples</dt><dd>6</dd>")
            .And.Contain("<dt>Evaluated</dt><dd>2026-12-04 09:30:00 &#x2B;00:00</dd>"));
        var metrics = ReportHtml.Rows(html, "evaluation-metrics");
        Assert.That(metrics, Has.Count.EqualTo(2));
        Assert.That(string.Join("", metrics), Does.Contain("<td>loss</td><td class=\"num\" title=\"0.75\">0.7500</td>"));
        var classes = ReportHtml.Rows(html, "evaluation-classes");
        Assert.That(classes, Has.Count.EqualTo(3 + 2), "three classes, macro and weighted averages");
        Assert.That(classes[1], Does.Contain("<td>Trouser</td><td class=\"num\" title=\"0.6666666666666666\">0.6667</td>"));
        Assert.That(classes[2], Does.Contain("<td>&lt;Bag&gt;</td>"));
        Assert.That(classes[3], Does.Contain("macro avg"));
        var confusion = ReportHtml.Rows(html, "evaluation-confusion");
        Assert.That(confusion, Has.Count.EqualTo(3));
        Assert.That(confusion[1], Does.Contain("<td>Trouser</td><td class=\"num\" title=\"1\">1</td><td class=\"num best\" title=\"2\">2</td>"));
        Assert.That(html, Does.Contain("<img alt=\"confusion\" src=\"data:image/png;base64,iVBORw0KGgo"));
        Assert.That(ReportHtml.Count(html, "img"), Is.EqualTo(3 + 1), "the run's plots and the heat map");
        Assert.That(html.IndexOf("id=\"model\"", StringComparison.Ordinal), Is.LessThan(html.IndexOf("id=\"evaluation\"", StringComparison.Ordinal)));
        ReportHtml.AssertSelfContained(html);
    }

    [Test]
    public void ARegressionEvaluationHasNoClassTableAndABrokenFileIsNamed()
    {
        var run = SyntheticRun.Write(folder.File("run"));
        EvaluationFile.Write(EvaluationFiles.DefaultFolder(run), new EvaluationResult { Model = "m", Data = "d", Examples = 4, Loss = 2, Metrics = new Dictionary<string, double> { ["rmse"] = 1.4 } });

        var html = RunReport.Render(run);
        File.WriteAllText(Path.Combine(EvaluationFiles.DefaultFolder(run), EvaluationFiles.Results), "[1,");
        var broken = RunReport.Render(run);

        Assert.That(ReportHtml.Rows(html, "evaluation-metrics"), Has.Count.EqualTo(2));
        Assert.That(html, Does.Not.Contain("evaluation-classes").And.Not.Contain("evaluation-confusion").And.Not.Contain("id=\"model\""));
        Assert.That(ReportHtml.Count(html, "img"), Is.EqualTo(3));
        Assert.That(broken, Does.Contain("evaluation/evaluation.json could not be read:").And.Contain("is not a valid evaluation"));
    }
}
