using System.Diagnostics;
using System.Text.Json;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;

namespace Trainer.Cli.Tests;

/// <summary>
/// <c>trainer report</c>: HTML reports of real runs and experiments, checked in headless Chromium (the images render,
/// the tables are whole, nothing is fetched), and its argument errors.
/// </summary>
public sealed class ReportCommandTests
{
    [Test]
    public async Task TheQuickstartRunsReportRendersInABrowserWithEveryImageAndOneRowPerEpoch()
    {
        var clock = Stopwatch.StartNew();
        await using var browser = await HeadlessBrowser.LaunchAsync();
        var launched = clock.Elapsed;
        using var folder = new TempFolder();
        var run = TrainerProcess.Run(folder.Path, "run", Repository.Recipe("quickstart.json"), "--run-dir", "run");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Completed), run.Error);
        clock.Restart();

        var (code, output, error) = TrainerProcess.Run(folder.Path, "report", "run");

        Assert.That((code, error), Is.EqualTo((ExitCodes.Completed, "")));
        Assert.That(output.Trim(), Is.EqualTo(folder.File("run/report.html")));
        var epochs = JsonDocument.Parse(File.ReadAllText(folder.File("run/summary.json"))).RootElement.GetProperty("epochs").GetInt32();
        var reported = clock.Elapsed;
        var page = await browser.OpenAsync(folder.File("run/report.html"));
        var opened = clock.Elapsed;
        Assert.That(await page.TitleAsync(), Does.StartWith("quickstart · run · completed"));
        Assert.That(await HeadlessBrowser.ImageWidthsAsync(page), Has.Length.EqualTo(3).And.All.GreaterThan(0), "loss, accuracy and learning-rate plots render");
        Assert.That(await page.Locator("#epoch-metrics tbody tr").CountAsync(), Is.EqualTo(epochs).And.EqualTo(File.ReadAllLines(folder.File("run/metrics.csv")).Length - 1));
        Assert.That(await page.Locator("#epoch-metrics thead th").AllInnerTextsAsync(),
            Is.EqualTo(new[] { "epoch", "lr", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "seconds", "samples_per_second" }));
        Assert.That(await page.Locator("#final-metrics-table tbody tr").CountAsync(), Is.EqualTo(6), "test and validation of the tested weights, the last epoch's validation");
        Assert.That(await page.Locator("#run-facts").TextContentAsync(), Does.Contain("last epoch 30"), "whose weights the final metrics are");
        Assert.That(await page.Locator("#recipe-json").InnerTextAsync(), Does.Contain("\"Name\": \"quickstart\""));
        Assert.That(await page.Locator("#environment-facts").TextContentAsync(), Does.Contain("TorchSharp0.107").And.Contain("libtorch buildCPU"));
        Assert.That(browser.Problems, Is.Empty, "no console errors, failed or outside requests");
        TestContext.Out.WriteLine($"browser launch {launched.TotalSeconds:F1} s; trainer report {reported.TotalSeconds:F1} s, " +
                                  $"page loaded at {opened.TotalSeconds:F1} s, checks done at {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Test]
    public async Task AnExperimentsReportComparesItsVariantsAndLinksToTheirOwnReports()
    {
        await using var browser = await HeadlessBrowser.LaunchAsync();
        using var folder = new TempFolder();
        var experiment = folder.File("exp");
        foreach (var (name, rate) in new[] { ("slow", "0.0003"), ("fast", "0.01") })
        {
            var run = TrainerProcess.Run(folder.Path, "run", Repository.Recipe("quickstart.json"), "--run-dir", $"exp/variants/{name}", "--Training:Epochs=3", $"--Optimizer:LearningRate={rate}");
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Completed), run.Error);
        }
        Directory.CreateDirectory(Path.Combine(experiment, "plots"));
        var overlay = new ScottPlot.Plot();
        overlay.Add.Scatter(new double[] { 1, 2, 3 }, new double[] { 0.9, 0.5, 0.3 });
        overlay.SavePng(Path.Combine(experiment, "plots", "val_loss.png"), 400, 250);
        File.WriteAllText(Path.Combine(experiment, "experiment.json"), JsonSerializer.Serialize(new
        {
            Name = "rates <b>&</b> more", Recipe = "recipes/quickstart.json", StartedAt = "2026-11-23T13:00:00+00:00", DurationSeconds = 4.5,
            Variants = new object[]
            {
                Variant(experiment, "slow", "0.0003"), Variant(experiment, "fast", "0.01"),
                new { Name = "crashed", Overrides = new Dictionary<string, object> { ["Optimizer:LearningRate"] = 100 }, Directory = "variants/crashed",
                      Status = "failed", ExitCode = 1, Epochs = 0, DurationSeconds = 0.1, Metrics = new Dictionary<string, double>() },
            },
        }));
        File.WriteAllText(Path.Combine(experiment, "comparison.csv"), "name,status\nslow,completed\nfast,completed\ncrashed,failed\n");

        var (code, output, error) = TrainerProcess.Run(folder.Path, "report", "exp", "--out", "site/index.html");

        Assert.That((code, error), Is.EqualTo((ExitCodes.Completed, "")));
        Assert.That(output.Trim(), Is.EqualTo(folder.File("site/index.html")));
        var page = await browser.OpenAsync(folder.File("site/index.html"));
        Assert.That(await page.TitleAsync(), Does.StartWith("rates <b>&</b> more · experiment · 3 variants"));
        Assert.That(await page.Locator("h1").InnerTextAsync(), Does.StartWith("rates <b>&</b> more"), "shown as text, not markup");
        Assert.That(await HeadlessBrowser.ImageWidthsAsync(page), Has.Length.EqualTo(1 + 3 + 3).And.All.GreaterThan(0), "the overlay and each variant's three plots");
        Assert.That(await page.Locator("#comparison tbody tr").CountAsync(), Is.EqualTo(3));
        Assert.That(await page.Locator("#comparison tbody tr").Nth(2).InnerTextAsync(), Does.Contain("crashed").And.Contain("failed"));
        Assert.That(await page.Locator("details.variant").CountAsync(), Is.EqualTo(3));
        Assert.That(browser.Problems, Is.Empty, "no console errors, failed or outside requests");

        await page.Locator("#comparison a.variant-report").First.ClickAsync();
        await page.WaitForURLAsync("**/exp/variants/slow/report.html");
        Assert.That(await page.TitleAsync(), Does.StartWith("quickstart · slow · completed"));
        Assert.That(await HeadlessBrowser.ImageWidthsAsync(page), Has.Length.EqualTo(3).And.All.GreaterThan(0));
        Assert.That(await page.Locator("#epoch-metrics tbody tr").CountAsync(), Is.EqualTo(3));
        Assert.That(browser.Problems, Is.Empty);
    }

    private static object Variant(string experiment, string name, string rate)
    {
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(experiment, "variants", name, "summary.json"))).RootElement;
        return new
        {
            Name = name, Overrides = new Dictionary<string, object> { ["Optimizer:LearningRate"] = double.Parse(rate, System.Globalization.CultureInfo.InvariantCulture) },
            Directory = $"variants/{name}", Status = "completed", ExitCode = 0, Epochs = summary.GetProperty("epochs").GetInt32(),
            BestEpoch = summary.GetProperty("bestEpoch").GetInt32(), DurationSeconds = summary.GetProperty("durationSeconds").GetDouble(),
            Metrics = summary.GetProperty("metrics").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()),
        };
    }

    [Test]
    public async Task AStudyReportWritesItsHtmlBesideTheTextTable()
    {
        await using var browser = await HeadlessBrowser.LaunchAsync();
        using var folder = new TempFolder();
        using (var store = Trainer.Search.SearchRunner.OpenStore($"sqlite:{folder.File("studies.db")}"))
        {
            store.EnsureStudy("lr", "val_accuracy", true, "[]");
            foreach (var (rate, value) in new[] { ("0.1", 0.8), ("0.01", 0.95), ("0.001", 0.9) })
            {
                var trial = store.StartTrial("lr", 10, "w", TimeSpan.FromMinutes(1), (_, _) => (new Dictionary<string, string> { ["Optimizer:LearningRate"] = rate }, [0.5]))!;
                store.Finish("lr", trial.Number, Trainer.Search.TrialState.Complete, value, null);
            }
        }

        var (code, output, error) = TrainerProcess.Run(folder.Path, "report", "--study", "lr", "--storage", "sqlite:studies.db", "--html", "lr.html");

        Assert.That((code, error), Is.EqualTo((ExitCodes.Completed, "")));
        Assert.That(output, Does.StartWith("Study lr: 3 trials").And.Contain("Best: trial 1, val_accuracy = 0.95,").And.EndWith(folder.File("lr.html") + Environment.NewLine));
        var page = await browser.OpenAsync(folder.File("lr.html"));
        Assert.That(await page.TitleAsync(), Does.StartWith("lr · study · 3 trials"));
        Assert.That(await page.Locator("#trials tbody tr td:nth-child(2)").AllInnerTextsAsync(), Is.EqualTo(new[] { "1", "2", "0" }), "best first");
        Assert.That(await page.Locator("#best-parameters").InnerTextAsync(), Does.Contain("Optimizer:LearningRate\t0.01"));
        Assert.That(await HeadlessBrowser.ImageWidthsAsync(page), Has.Length.EqualTo(2).And.All.GreaterThan(0), "objective against the learning rate, and the history");
        Assert.That(browser.Problems, Is.Empty);
    }

    [Test]
    public void AStudyReportPrintsEachParametersImportanceWithABar()
    {
        using var folder = new TempFolder();
        using (var store = Trainer.Search.SearchRunner.OpenStore($"sqlite:{folder.File("studies.db")}"))
        {
            store.EnsureStudy("two", "val_loss", false, "[]");
            for (var n = 0; n < 10; n++)
            {
                // The learning rate's coordinate decides the value; the batch size's barely moves it.
                double[] point = [(n + 0.5) / 10, ((n * 3) % 10 + 0.5) / 10];
                var parameters = new Dictionary<string, string> { ["Optimizer:LearningRate"] = $"{n}", ["Training:BatchSize"] = $"{n * 3 % 10}" };
                var trial = store.StartTrial("two", 100, "w", TimeSpan.FromMinutes(1), (_, _) => (parameters, point))!;
                store.Finish("two", trial.Number, Trainer.Search.TrialState.Complete, 5 * point[0] + 0.001 * point[1], null);
            }
        }

        var (code, output, error) = TrainerProcess.Run(folder.Path, "report", "--study", "two", "--storage", "sqlite:studies.db");

        Assert.That((code, error), Is.EqualTo((ExitCodes.Completed, "")));
        var lines = output.Split(Environment.NewLine);
        var heading = Array.FindIndex(lines, l => l.StartsWith("Importance", StringComparison.Ordinal));
        Assert.That(lines[heading], Is.EqualTo("Importance (random forest, mean decrease in impurity, 10 complete trials):"));
        Assert.That(lines[heading + 1], Does.Match(@"^  Optimizer:LearningRate  ( 9\d|100)\.\d%  █{36,40}$"));
        Assert.That(lines[heading + 2], Does.Match(@"^  Training:BatchSize      ( [ \d]\d)\.\d%  █{0,4}$"));
    }

    [TestCase(new string[0], "error: nothing to report: give a run directory ('trainer report runs/<run-id>') or a study ('trainer report --study NAME').")]
    [TestCase(new[] { "missing" }, "error: RUN_DIR 'missing' does not exist; give a run directory made by 'trainer run' (runs/<run-id>) or an experiment directory.")]
    [TestCase(new[] { "empty" }, "error: RUN_DIR 'empty' is not a run or experiment directory: it has no summary.json, recipe.json, metrics.csv or " +
                                 "experiment.json; give a folder made by 'trainer run' (runs/<run-id>) or an experiment directory.")]
    [TestCase(new[] { "empty", "--study", "s" }, "error: give either RUN_DIR or --study, not both: 'trainer report RUN_DIR' or 'trainer report --study NAME'.")]
    [TestCase(new[] { "--study", "s", "--out", "x.html" }, "error: --out goes with RUN_DIR; for --study, choose the HTML file with --html FILE.")]
    [TestCase(new[] { "empty", "--html", "x.html" }, "error: --html goes with --study; for RUN_DIR, choose the file with --out FILE.")]
    public void ArgumentMistakesExitWithCode2AndOneLineSayingWhatToGive(string[] args, string message)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("empty"));

        var (code, output, error) = TrainerProcess.Run(folder.Path, ["report", .. args]);

        Assert.That((code, error.Trim(), output), Is.EqualTo((ExitCodes.InvalidInput, message, "")));
    }
}
