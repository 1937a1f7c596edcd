using System.Text.Json;
using Trainer.Serving.Dashboard;
using Trainer.Serving.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Trainer.Serving.Tests.Dashboard;

/// <summary>
/// The page in dashboard mode, in headless Chromium, over real runs and a real study (see <see cref="RunsFixture"/>):
/// the lists, one run's read-only curves, and a study's trials and objective-vs-parameter plots on each parameter's scale.
/// </summary>
public sealed class DashboardPageBrowserTests
{
    private HeadlessBrowser browser = null!;
    private DashboardHost host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        host = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = RunsFixture.Runs });
        browser = await HeadlessBrowser.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await browser.DisposeAsync();
        await host.DisposeAsync();
    }

    [Test]
    public async Task TheListsShowEveryRunAndTheStudyWithLinks()
    {
        var page = await browser.OpenUrlAsync(host.Url);

        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(3 + RunsFixture.Trials);
        await Expect(page.Locator("#studies tbody tr")).ToHaveCountAsync(1);
        var slow = page.Locator("#runs tbody tr", new() { HasText = "quick-slow" });
        Assert.That(await slow.Locator("td").AllInnerTextsAsync(), Is.SupersetOf(new[] { "quick-slow", "quickstart", "completed", RunsFixture.SlowEpochs.ToString() }));
        Assert.That(await slow.Locator("a").GetAttributeAsync("href"), Is.EqualTo("?run=quick-slow"));
        Assert.That(await page.Locator("#studies tbody tr a").GetAttributeAsync("href"), Is.EqualTo($"?study={RunsFixture.Study}"));
        Assert.That(await page.Locator("#studies tbody tr td").Nth(3).InnerTextAsync(), Is.EqualTo(RunsFixture.Trials.ToString()));
        Assert.That(await page.Locator("#run-view").IsHiddenAsync(), Is.True);
        Assert.That(browser.Problems, Is.Empty, "no console errors, failed requests or requests elsewhere");
        await page.CloseAsync();
    }

    [Test]
    public async Task ARunsChartsHaveAPointPerEpochAndNoControls()
    {
        var page = await browser.OpenUrlAsync($"{host.Url}/?run=quick-slow");

        foreach (var chart in new[] { "#loss-chart", "#accuracy-chart", "#lr-chart" })
            await Expect(page.Locator(chart)).ToHaveAttributeAsync("data-points", RunsFixture.SlowEpochs.ToString());
        await Expect(page.Locator("#status")).ToHaveTextAsync("completed");
        Assert.That(await page.Locator("#epoch").InnerTextAsync(), Is.EqualTo($"{RunsFixture.SlowEpochs} / {RunsFixture.SlowEpochs}"));
        Assert.That(await page.Locator("#lr").InnerTextAsync(), Is.EqualTo("0.001"));
        Assert.That(await page.Locator("#controls").IsHiddenAsync(), Is.True, "a finished run cannot be steered");
        Assert.That(await page.Locator("#recipe").InnerTextAsync(), Does.Contain("\"Name\": \"quickstart\""));
        Assert.That(await page.TitleAsync(), Is.EqualTo("Trainer · quickstart · completed"));
        Assert.That(browser.Problems, Is.Empty);
        await page.CloseAsync();
    }

    [Test]
    public async Task AStudyPlotsTheObjectiveAgainstEachParameterOnItsOwnScaleAndLinksEachTrialsRun()
    {
        var study = JsonDocument.Parse(await host.Client.GetStringAsync($"/api/studies/{RunsFixture.Study}")).RootElement;
        var valued = study.GetProperty("trials").EnumerateArray().Count(t => t.GetProperty("value").ValueKind == JsonValueKind.Number && t.GetProperty("state").GetString() != "failed");
        var page = await browser.OpenUrlAsync($"{host.Url}/?study={RunsFixture.Study}");

        await Expect(page.Locator("#trials tbody tr")).ToHaveCountAsync(RunsFixture.Trials);
        var charts = page.Locator("#study-charts .param-chart");
        await Expect(charts).ToHaveCountAsync(4);
        var scales = new Dictionary<string, (string Scale, string Axis)>();
        for (var i = 0; i < 4; i++)
        {
            var chart = charts.Nth(i);
            await Expect(chart).ToHaveAttributeAsync("data-points", valued.ToString());
            scales[(await chart.GetAttributeAsync("data-param"))!] = ((await chart.GetAttributeAsync("data-scale"))!, (await chart.GetAttributeAsync("data-x-distr"))!);
        }
        Assert.That(scales["Optimizer:LearningRate"], Is.EqualTo(("log", "log")));
        Assert.That(scales["Optimizer:Beta1"], Is.EqualTo(("one-minus-log", "log")));
        Assert.That(scales["Model:Hidden:0"], Is.EqualTo(("log", "log")));
        Assert.That(scales["Training:BatchSize"], Is.EqualTo(("categorical", "linear")));
        Assert.That(await page.Locator("#study-charts figcaption").AllInnerTextsAsync(),
            Does.Contain("val_accuracy vs Optimizer:LearningRate (log)").And.Contain("val_accuracy vs 1 − Optimizer:Beta1 (log)"));
        Assert.That(await page.Locator("#trials thead th").AllInnerTextsAsync(), Is.EqualTo(new[] { "trial", "state", "val_accuracy" }
            .Concat(study.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!)).Append("run")));
        Assert.That(browser.Problems, Is.Empty);
        await page.ScreenshotAsync(new() { Path = Repository.Docs("dashboard-study.png"), FullPage = true });

        await page.Locator("#trials tbody tr").First.Locator("a").ClickAsync();
        // The URL is what the link means; waiting for the new document's load event timed out once in CI on a loaded machine.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/\?run=trial-0000$"));
        await Expect(page.Locator("#loss-chart")).ToHaveAttributeAsync("data-points", "2");
        Assert.That(browser.Problems, Is.Empty);
        await page.CloseAsync();
    }

    [Test]
    public async Task AStudyPageRefreshesWhileTrialsAreRunning()
    {
        var root = Directory.CreateTempSubdirectory("trainer-serving-study-").FullName;
        try
        {
            var space = """[{"Path":"Optimizer:LearningRate","Distribution":"LogUniformDistribution","Settings":{"Min":0.0001,"Max":1}}]""";
            using var store = new Trainer.Search.SqliteStudyStore(Path.Combine(root, "studies.db"));
            store.EnsureStudy("lr", "val_loss", false, space);
            var first = store.StartTrial("lr", 10, "w", TimeSpan.FromMinutes(5), (_, _) => (new Dictionary<string, string> { ["Optimizer:LearningRate"] = "0.01" }, [0.5]))!;
            store.Finish("lr", first.Number, Trainer.Search.TrialState.Complete, 0.4, null);
            var second = store.StartTrial("lr", 10, "w", TimeSpan.FromMinutes(5), (_, _) => (new Dictionary<string, string> { ["Optimizer:LearningRate"] = "0.001" }, [0.25]))!;
            await using var dashboard = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = root });
            var page = await browser.OpenUrlAsync($"{dashboard.Url}/?study=lr");
            await Expect(page.Locator("#param-chart-0")).ToHaveAttributeAsync("data-points", "1");
            await Expect(page.Locator("#study-trials")).ToHaveTextAsync("2 (1 running)");
            Assert.That(await page.Locator("#param-chart-0").GetAttributeAsync("data-x-distr"), Is.EqualTo("log"));
            await Expect(page.Locator("#study-importance-note")).ToHaveTextAsync("No importance yet: needs at least 2 complete trials with a finite value (has 1).");
            await Expect(page.Locator("#study-importance")).ToBeHiddenAsync();

            store.Finish("lr", second.Number, Trainer.Search.TrialState.Complete, 0.3, null);

            await Expect(page.Locator("#param-chart-0")).ToHaveAttributeAsync("data-points", "2", new() { Timeout = 30_000 });
            await Expect(page.Locator("#study-best")).ToHaveTextAsync("0.3");
            await Expect(page.Locator("#study-importance tbody tr")).ToHaveCountAsync(1);
            Assert.That((await page.Locator("#study-importance tbody tr td").AllInnerTextsAsync()).Take(2), Is.EqualTo(new[] { "Optimizer:LearningRate", "100.0%" }));
            Assert.That(await page.Locator("#study-importance progress").EvaluateAsync<double>("bar => bar.value"), Is.EqualTo(1.0));
            await Expect(page.Locator("#study-importance-note")).ToBeHiddenAsync();
            Assert.That(await page.Locator("#trials tbody tr td:nth-child(2)").AllInnerTextsAsync(), Is.EqualTo(new[] { "complete", "complete" }));
            Assert.That(browser.Problems, Is.Empty);
            await page.CloseAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }
}
