using System.Text.Json;
using Trainer.Search;
using Trainer.Serving.Dashboard;
using Trainer.Serving.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Trainer.Serving.Tests.Dashboard;

/// <summary>A multi-objective study in the dashboard: its objectives, each trial's values and the Pareto front, in the API and on the page.</summary>
public sealed class DashboardMultiObjectiveTests
{
    private const string Study = "two-objectives";

    private TempFolder folder = null!;
    private DashboardHost host = null!;

    // Maximise accuracy, minimise parameters: trials 0 and 2 form the front; 1 is dominated by 0; 3 failed.
    private static readonly (double Accuracy, double Parameters)[] Trials = [(0.9, 500), (0.8, 800), (0.95, 2000)];

    [OneTimeSetUp]
    public async Task Start()
    {
        folder = new TempFolder();
        Directory.CreateDirectory(folder.File("runs"));
        using (var store = new SqliteStudyStore(folder.File("studies.db")))
        {
            store.EnsureStudy(Study, "val_accuracy", true, "[]", [new("val_accuracy", true), new("parameter_count", false)]);
            foreach (var (accuracy, parameters) in Trials)
            {
                var trial = store.StartTrial(Study, 10, "w", TimeSpan.FromMinutes(5), (n, _) => (new Dictionary<string, string> { ["Model:Hidden:0"] = $"{n + 8}" }, [0.5]))!;
                store.Finish(Study, trial.Number, TrialState.Complete, accuracy, null, [accuracy, parameters]);
            }
            var failed = store.StartTrial(Study, 10, "w", TimeSpan.FromMinutes(5), (n, _) => (new Dictionary<string, string> { ["Model:Hidden:0"] = "64" }, [0.9]))!;
            store.Finish(Study, failed.Number, TrialState.Failed, null, "out of memory");
        }
        host = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = folder.File("runs"), Storage = $"sqlite:{folder.File("studies.db")}" });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await host.DisposeAsync();
        folder.Dispose();
    }

    [Test]
    public async Task TheStudyApiGivesTheObjectivesEachTrialsValuesAndWhetherItIsOnTheFront()
    {
        var study = JsonDocument.Parse(await host.Client.GetStringAsync($"/api/studies/{Study}")).RootElement;

        Assert.That(study.GetProperty("objectives").EnumerateArray().Select(o => (o.GetProperty("metric").GetString(), o.GetProperty("direction").GetString())),
            Is.EqualTo(new[] { ("val_accuracy", "maximize"), ("parameter_count", "minimize") }));
        var trials = study.GetProperty("trials").EnumerateArray().ToList();
        Assert.That(trials.Select(t => t.GetProperty("pareto").GetBoolean()), Is.EqualTo(new[] { true, false, true, false }));
        Assert.That(trials[1].GetProperty("values").EnumerateArray().Select(v => v.GetDouble()), Is.EqualTo(new[] { 0.8, 800 }));
        Assert.That(trials[3].GetProperty("values").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task TheStudyPageShowsTheFrontBestFirstAndEachObjectivesColumn()
    {
        await using var browser = await HeadlessBrowser.LaunchAsync();
        var page = await browser.OpenUrlAsync($"{host.Url}/?study={Study}");

        await Expect(page.Locator("#front tbody tr")).ToHaveCountAsync(2);
        Assert.That(await page.Locator("#front tbody tr td:first-child").AllInnerTextsAsync(), Is.EqualTo(new[] { "2", "0" }), "by accuracy, best first");
        Assert.That(await page.Locator("#front thead th").AllInnerTextsAsync(), Is.EqualTo(new[] { "trial", "val_accuracy", "parameter_count", "Model:Hidden:0", "run" }));
        Assert.That(await page.Locator("#study-objective").InnerTextAsync(), Is.EqualTo("val_accuracy (maximize), parameter_count (minimize)"));
        Assert.That(await page.Locator("#study-best").InnerTextAsync(), Is.EqualTo("2 on the Pareto front"));
        Assert.That(await page.Locator("#trials thead th").AllInnerTextsAsync(),
            Is.EqualTo(new[] { "trial", "state", "val_accuracy", "parameter_count", "pareto", "Model:Hidden:0", "run" }));
        Assert.That(await page.Locator("#trials tbody tr").Nth(1).Locator("td").AllInnerTextsAsync(), Is.EqualTo(new[] { "1", "complete", "0.8", "800", "", "9", "–" }));
        Assert.That(browser.Problems, Is.Empty, "no console errors, failed requests or requests elsewhere");
    }
}
