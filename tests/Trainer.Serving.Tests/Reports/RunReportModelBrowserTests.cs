using Trainer.Reports;
using Trainer.Runs;
using Trainer.Serving.Tests.Support;
using Trainer.Tasks;

namespace Trainer.Serving.Tests.Reports;

/// <summary>
/// The HTML report of a real run (a copy of the fixture's quick-fast run) with a hand-written model package and an
/// evaluation written through <see cref="EvaluationFile"/>, in headless Chromium.
/// </summary>
public sealed class RunReportModelBrowserTests
{
    [Test]
    public async Task TheReportShowsTheModelAndTheEvaluationWithEveryImageRenderedAndWorkingLinks()
    {
        await using var browser = await HeadlessBrowser.LaunchAsync();
        using var folder = new TempFolder();
        var run = folder.File("run");
        ModelRuns.CopyRun(Path.Combine(RunsFixture.Runs, "quick-fast"), run);
        ModelPackageSample.Write(run);
        var report = ClassificationReport.Create([0, 0, 1, 1, 1, 2, 2], [0, 1, 1, 1, 0, 2, 2], ["T-shirt", "Trouser", "<Bag>"]);
        var evaluation = EvaluationFiles.DefaultFolder(run);
        EvaluationFile.Write(evaluation, new EvaluationResult
        {
            Model = Path.Combine(run, RunFiles.Model), Data = "digits test split", Examples = 7, Loss = 0.5,
            Metrics = new Dictionary<string, double> { ["accuracy"] = report.Accuracy }, Classification = EvaluationClassification.From(report),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        ConfusionMatrixPlot.Write(Path.Combine(evaluation, EvaluationFiles.ConfusionPlot), report);

        var written = HtmlReport.Write(run);
        var page = await browser.OpenAsync(written);

        Assert.That(await HeadlessBrowser.ImageWidthsAsync(page), Has.Length.EqualTo(3 + 1).And.All.GreaterThan(0), "the run's plots and the confusion heat map render");
        Assert.That(await page.Locator("img[alt='confusion']").EvaluateAsync<int>("i => i.naturalWidth"), Is.EqualTo(ConfusionMatrixPlot.PixelsFor(3)));
        Assert.That(await page.Locator("#model-facts").InnerTextAsync(), Does.Contain("1 × 28 × 28").And.Contain("T-shirt, Trouser, <Bag>"));
        Assert.That(await page.Locator("#evaluation-classes tbody tr").CountAsync(), Is.EqualTo(3 + 2));
        Assert.That(await page.Locator("#evaluation-confusion tbody tr").CountAsync(), Is.EqualTo(3));
        Assert.That(await page.Locator("#model-files a").AllInnerTextsAsync(), Is.EqualTo(new[] { "model/model.json", "model/weights.dat", "model/weights.pt", "model/model.py" }));
        Assert.That(browser.Problems, Is.Empty, "no console errors, failed or outside requests");

        var manifest = await page.Locator("#model-files a", new() { HasText = "model/model.json" }).GetAttributeAsync("href");
        var response = await page.GotoAsync(new Uri(new Uri(written), manifest!).AbsoluteUri);
        Assert.That(await response!.TextAsync(), Is.EqualTo(ModelPackageSample.Manifest), "the relative link reaches the package's manifest");
    }
}
