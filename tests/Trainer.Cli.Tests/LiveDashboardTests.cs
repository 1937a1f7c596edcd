using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;
using Trainer.Runs;
using Trainer.Serving.Api;
using static Microsoft.Playwright.Assertions;

namespace Trainer.Cli.Tests;

/// <summary>
/// The acceptance test of the live page: a real <c>trainer run RECIPE --serve</c> process, its page in headless
/// Chromium, steered only through the page: the charts fill, a learning rate typed into the page is applied by the
/// run, pause stops progress, resume restarts it and a confirmed stop ends the process with exit code 0.
/// </summary>
public sealed class LiveDashboardTests
{
    // Wide layers and small batches make an epoch last ~0.4 s on one idle core, ~1 s on a busy one (compute: the real program has no pacing hook).
    private const string Recipe = """
        {
          "Name": "digits-live",
          "Data": { "Source": "digits", "ValidationFraction": 0.15 },
          "Model": { "Kind": "mlp", "Hidden": [1024, 1024], "BatchNorm": true },
          "Optimizer": { "Kind": "adam", "LearningRate": 0.002 },
          "Training": { "Epochs": 40, "BatchSize": 16, "Device": "cpu", "Seed": 5, "Threads": 1 }
        }
        """;

    // Keeps every EventSource the page opens in window.eventSources, so the test can see whether it closed them.
    private const string TrackEventSources = """
        window.eventSources = [];
        window.EventSource = class extends window.EventSource {
          constructor(...args) { super(...args); window.eventSources.push(this); }
        };
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    public async Task ThePageOfALiveRunPlotsItsEpochsAppliesATypedLearningRatePausesResumesAndStopsIt()
    {
        var clock = Stopwatch.StartNew();
        using var folder = new TempFolder();
        var recipe = folder.File("recipe.json");
        await File.WriteAllTextAsync(recipe, Recipe);
        var runDirectory = folder.File("run");
        using var trainer = new TrainerProcess(folder.Path, "run", recipe, "--run-dir", "run", "--serve", "http://127.0.0.1:0");
        await using var browser = await HeadlessBrowser.LaunchAsync();
        IPage? page = null;
        var controlRequests = new List<string>();
        try
        {
            var endpoint = await WaitForAsync(() => EndpointInfo.Read(runDirectory), trainer, "endpoint.json");
            using var api = new HttpClient { BaseAddress = new Uri(endpoint.Url) };
            page = await browser.OpenUrlAsync(endpoint.Url, TrackEventSources);
            page.Request += (_, request) =>
            {
                if (request.Url.Contains("/api/run/control", StringComparison.Ordinal)) lock (controlRequests) controlRequests.Add($"{clock.Elapsed.TotalSeconds:F1}s sent {request.PostData}");
            };
            page.Response += (_, response) =>
            {
                if (response.Url.Contains("/api/run/control", StringComparison.Ordinal)) lock (controlRequests) controlRequests.Add($"{clock.Elapsed.TotalSeconds:F1}s answered {response.Status}");
            };

            // The charts receive points from the live run.
            await Expect(page.Locator("#status")).ToHaveTextAsync("running", new() { Timeout = 30_000 });
            await Expect(page.Locator("#title")).ToHaveTextAsync("· digits-live · run");
            await Expect(page.Locator("#loss-chart")).ToHaveAttributeAsync("data-points", new Regex("^([2-9]|[1-9][0-9]+)$"), new() { Timeout = 30_000 });
            Assert.That(await page.Locator("#lr").InnerTextAsync(), Is.EqualTo("0.002"));

            // A learning rate typed into the page: the page shows it applied, and the run trains at it from the next epoch.
            await page.Locator("#lr-input").FillAsync("0.0003");
            await page.Locator("#lr-apply").ClickAsync();
            await Expect(page.Locator("#control-result")).ToHaveTextAsync("lr: accepted, applied at the next batch");
            await Expect(page.Locator("#lr")).ToHaveTextAsync("0.0003", new() { Timeout = 30_000 });
            await Expect(page.Locator("#control-log li")).ToHaveCountAsync(1);
            var logged = await page.Locator("#control-log li").InnerTextAsync();
            Assert.That(logged, Does.Contain("lr · 0.002 → 0.0003 · from http 127.0.0.1 · at epoch "), "the control-actions list");
            var changedIn = int.Parse(Regex.Match(logged, @"at epoch (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.That((await api.GetFromJsonAsync<LiveRunStatus>("/api/run", ServeJson.Options))!.LearningRate, Is.EqualTo(0.0003));
            var rows = await WaitForAsync(() => Rows(runDirectory) is { } r && r.Count >= changedIn + 3 ? r : null, trainer, "three epochs after the change");
            Assert.That(rows.Where(r => r.Epoch < changedIn).Select(r => r.Lr), Is.All.EqualTo(0.002), "metrics.csv before the change");
            Assert.That(rows.Where(r => r.Epoch > changedIn).Select(r => r.Lr), Is.All.EqualTo(0.0003), "metrics.csv from the epoch after the change");
            Assert.That(rows.Single(r => r.Epoch == changedIn).Lr, Is.InRange(0.0003, 0.002), "the epoch it changed in: the mean over its steps");
            await page.WaitForFunctionAsync("n => ['loss-chart', 'lr-chart'].every(id => +document.getElementById(id).dataset.points >= n)", rows.Count);
            await page.ScreenshotAsync(new() { Path = Repository.Docs("dashboard.png"), FullPage = true });

            // Pause: the page says so and the step stands still; resume: it moves again.
            await page.Locator("#pause").ClickAsync();
            await Expect(page.Locator("#status")).ToHaveTextAsync("paused", new() { Timeout = 30_000 });
            await Expect(page.Locator("#eta")).ToHaveTextAsync("paused");
            var pausedAt = (await api.GetFromJsonAsync<LiveRunStatus>("/api/run", ServeJson.Options))!.Step;
            var pageStep = await page.Locator("#step").InnerTextAsync();
            await Task.Delay(1500); // the absence of progress has no event to wait for
            Assert.That((await api.GetFromJsonAsync<LiveRunStatus>("/api/run", ServeJson.Options))!.Step, Is.EqualTo(pausedAt), "no step while paused");
            Assert.That(await page.Locator("#step").InnerTextAsync(), Is.EqualTo(pageStep), "the page's step stands still while paused");
            await page.Locator("#resume").ClickAsync();
            await Expect(page.Locator("#status")).ToHaveTextAsync("running", new() { Timeout = 30_000 });
            await Expect(page.Locator("#step")).Not.ToHaveTextAsync(pageStep, new() { Timeout = 30_000 });

            // Stop, confirmed in the page's dialog: the process ends with exit code 0 and status stopped.
            string? confirmed = null;
            page.Dialog += (_, dialog) =>
            {
                confirmed = dialog.Message;
                _ = dialog.AcceptAsync();
            };
            await page.Locator("#stop").ClickAsync();
            await Expect(page.Locator("#control-result")).ToHaveTextAsync(new Regex("^stop: accepted"));
            var (code, output, error) = trainer.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.That(confirmed, Does.StartWith("Stop the run?"));
            Assert.That(code, Is.EqualTo(ExitCodes.Completed), output + error);
            Assert.That(RunSummaryFile.Read(runDirectory).Status, Is.EqualTo("stopped"));
            await Expect(page.Locator("#status")).ToHaveTextAsync("stopped");
            // The page says the run has ended and closes its event stream when the server ends it: an EventSource left
            // open would reconnect to the closed port every 3 s, each attempt a failed request and a console error.
            await Expect(page.Locator("#message")).ToHaveTextAsync("The run has ended (stopped); this page no longer updates.");
            await page.WaitForFunctionAsync("window.eventSources.length > 0 && window.eventSources.every(s => s.readyState === EventSource.CLOSED)",
                null, new() { Timeout = 30_000 });
            Assert.That(browser.Problems, Is.Empty, "no console errors, failed requests or requests elsewhere");
            TestContext.Out.WriteLine($"lr changed in epoch {changedIn}; {Rows(runDirectory).Count} epochs; {clock.Elapsed.TotalSeconds:F1} s");
        }
        catch (Exception) when (LogTail(runDirectory) is var tail)
        {
            var controls = page is null ? "no page" : await PageTextAsync(page, "#status", "#control-result", "#control-error", "#message");
            TestContext.Out.WriteLine($"At {clock.Elapsed.TotalSeconds:F1}s the page showed {controls}; control requests: [{string.Join("; ", controlRequests)}]");
            TestContext.Out.WriteLine($"The browser's problems: {string.Join("; ", browser.Problems)}\nThe run's log, last lines:\n{tail}");
            throw;
        }
    }

    // What the page shows in each element, read without waiting (the page may be what failed).
    private static async Task<string> PageTextAsync(IPage page, params string[] selectors)
    {
        var texts = await page.EvaluateAsync<string[]>("ids => ids.map(s => { const e = document.querySelector(s); return s + '=' + (e ? JSON.stringify(e.textContent) : 'missing'); })", selectors);
        return string.Join(", ", texts);
    }

    private static List<(int Epoch, double Lr)> Rows(string runDirectory)
    {
        var path = Path.Combine(runDirectory, "metrics.csv");
        if (!File.Exists(path)) return [];
        var lines = ReadShared(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return [];
        var header = lines[0].Split(',');
        int epoch = Array.IndexOf(header, "epoch"), lr = Array.IndexOf(header, "lr");
        return lines.Skip(1).Select(l => l.Split(',')).Where(c => c.Length == header.Length)
            .Select(c => (int.Parse(c[epoch], CultureInfo.InvariantCulture), double.Parse(c[lr], CultureInfo.InvariantCulture))).ToList();
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream, Encoding.UTF8).ReadToEnd();
    }

    private static string LogTail(string runDirectory)
    {
        try
        {
            return string.Join('\n', ReadShared(Path.Combine(runDirectory, "log.clef")).Split('\n').TakeLast(15));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "(no log: " + e.Message + ")";
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, TrainerProcess trainer, string what) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            try
            {
                if (probe() is { } value) return value;
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or FormatException)
            {
                // a file being written
            }
            Assert.That(trainer.HasExited, Is.False, $"trainer exited while waiting for {what}");
            await Task.Delay(50);
        }
        Assert.Fail($"Timed out after {Patience.TotalSeconds} s waiting for {what}.");
        return null!;
    }
}
