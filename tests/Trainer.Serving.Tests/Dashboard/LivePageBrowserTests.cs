using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Trainer.Serving.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Trainer.Serving.Tests.Dashboard;

/// <summary>
/// The page in live mode, in headless Chromium, against <see cref="FakeLiveServer"/>: curves fill from Server-Sent
/// Events, the controls POST the contract's bodies, accepted changes show in the status, problems show inline.
/// </summary>
public sealed class LivePageBrowserTests
{
    private HeadlessBrowser browser = null!;

    [OneTimeSetUp]
    public async Task Launch() => browser = await HeadlessBrowser.LaunchAsync();

    [OneTimeTearDown]
    public async Task Close() => await browser.DisposeAsync();

    [Test]
    public async Task TheChartsReceiveEveryEpochFromTheEventStream()
    {
        var clock = Stopwatch.StartNew();
        await using var server = await FakeLiveServer.StartAsync();
        var page = await browser.OpenUrlAsync(server.Url);

        await Expect(page.Locator("#loss-chart")).ToHaveAttributeAsync("data-points", server.Epochs.ToString(), new() { Timeout = 30_000 });

        Assert.That(await page.Locator("#accuracy-chart").GetAttributeAsync("data-points"), Is.EqualTo(server.Epochs.ToString()));
        Assert.That(await page.Locator("#lr-chart").GetAttributeAsync("data-points"), Is.EqualTo(server.Epochs.ToString()));
        Assert.That(await page.Locator("#loss-chart .u-series").CountAsync(), Is.EqualTo(4), "epoch, train_loss, val_loss and the EWMA");
        Assert.That(await page.Locator("#loss-chart .u-legend").InnerTextAsync(), Does.Contain("train_loss EWMA"));
        await Expect(page.Locator("#status")).ToHaveTextAsync("running");
        await Expect(page.Locator("#epoch")).ToHaveTextAsync($"{server.Epochs} / {FakeLiveServer.PlannedEpochs}");
        Assert.That(await page.Locator("#samples").InnerTextAsync(), Is.EqualTo("51235"));
        Assert.That(await page.Locator("#best").InnerTextAsync(), Does.StartWith("val_loss "));
        Assert.That(await page.Locator("#recipe").InnerTextAsync(), Does.Contain("\"Name\": \"quickstart\""));
        Assert.That(await page.Locator("#controls").IsVisibleAsync(), Is.True);
        Assert.That(browser.Problems, Is.Empty, "no console errors, failed requests or requests elsewhere");
        await page.CloseAsync();
        TestContext.Out.WriteLine($"{server.Epochs} epochs plotted live in {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Test]
    public async Task ALearningRateTypedAndAppliedIsPostedAndTheStatusShowsIt()
    {
        await using var server = await FakeLiveServer.StartAsync();
        var page = await browser.OpenUrlAsync(server.Url);
        // At least four epochs in (the fake trains on: a slow machine may first look when it has more).
        await Expect(page.Locator("#loss-chart")).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^[4-8]$"), new() { Timeout = 30_000 });

        await page.Locator("#lr-input").FillAsync("0.0003");
        await page.Locator("#lr-apply").ClickAsync();
        await Expect(page.Locator("#lr")).ToHaveTextAsync("0.0003");
        await page.Locator("#lr-input").FillAsync("x0.5");
        await page.Locator("#lr-input").PressAsync("Enter");
        await Expect(page.Locator("#lr")).ToHaveTextAsync("0.00015");

        var bodies = (await server.WaitForControlsAsync(2)).Select(c => JsonDocument.Parse(c.Body).RootElement).ToList();
        Assert.That(bodies[0].GetProperty("action").GetString(), Is.EqualTo("lr"));
        Assert.That(bodies[0].GetProperty("value").GetDouble(), Is.EqualTo(0.0003));
        Assert.That(bodies[0].EnumerateObject().Count(), Is.EqualTo(2));
        Assert.That(bodies[1].GetProperty("factor").GetDouble(), Is.EqualTo(0.5));
        await Expect(page.Locator("#control-result")).ToContainTextAsync("lr: accepted");
        await Expect(page.Locator("#control-log li")).ToHaveCountAsync(2);
        Assert.That(await page.Locator("#control-log li").First.InnerTextAsync(), Does.Contain("lr · 0.001 → 0.0003 · from http 127.0.0.1"));
        await Expect(page.Locator("#lr-chart")).ToHaveAttributeAsync("data-points", server.Epochs.ToString(), new() { Timeout = 30_000 });
        Assert.That(await page.Locator("#control-error").InnerTextAsync(), Is.Empty);
        Assert.That(browser.Problems, Is.Empty);
        // Not docs/dashboard.png: the README's picture comes from a real run (Trainer.Cli.Tests' LiveDashboardTests).
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "live-page-fake.png"), FullPage = true });
        await page.CloseAsync();
    }

    [Test]
    public async Task AProblemFromTheServerIsShownInlineAndNothingElseChanges()
    {
        await using var server = await FakeLiveServer.StartAsync(epochs: 2);
        var page = await browser.OpenUrlAsync(server.Url);
        await Expect(page.Locator("#status")).ToHaveTextAsync("running");

        await page.Locator("#lr-input").FillAsync("-1");
        await page.Locator("#lr-apply").ClickAsync();

        await Expect(page.Locator("#control-error")).ToHaveTextAsync("lr: value must be a positive number (got -1); nothing changed.");
        Assert.That(JsonDocument.Parse((await server.WaitForControlsAsync(1))[0].Body).RootElement.GetProperty("value").GetDouble(), Is.EqualTo(-1));
        Assert.That(await page.Locator("#lr").InnerTextAsync(), Is.EqualTo("0.001"));
        Assert.That(await page.Locator("#control-result").InnerTextAsync(), Is.Empty);

        await page.Locator("#lr-input").FillAsync("fast");
        await page.Locator("#lr-apply").ClickAsync();
        await Expect(page.Locator("#control-error")).ToHaveTextAsync("Learning rate: write a number such as 0.003, or a factor such as x0.5.");
        Assert.That(server.ControlRequests, Has.Count.EqualTo(1), "a value that is not a number is never sent");
        Assert.That(browser.Problems.Where(p => !p.Contains("400")), Is.Empty, "only the 400 itself");
        await page.CloseAsync();
    }

    [Test]
    public async Task PauseResumeCheckpointAndAConfirmedStopPostTheirActions()
    {
        await using var server = await FakeLiveServer.StartAsync(epochs: 2);
        var page = await browser.OpenUrlAsync(server.Url);
        await Expect(page.Locator("#status")).ToHaveTextAsync("running");

        await page.Locator("#pause").ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("paused");
        await Expect(page.Locator("#eta")).ToHaveTextAsync("paused");
        await page.Locator("#resume").ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("running");
        await page.Locator("#checkpoint").ClickAsync();
        await server.WaitForControlsAsync(3);
        var dismissed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void DismissOnce(object? sender, IDialog dialog)
        {
            Assert.That(dialog.Type, Is.EqualTo("confirm"));
            Assert.That(dialog.Message, Does.StartWith("Stop the run?"));
            dialog.DismissAsync().ContinueWith(_ => dismissed.TrySetResult());
        }
        page.Dialog += DismissOnce;
        await page.Locator("#stop").ClickAsync();
        await dismissed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        page.Dialog -= DismissOnce;
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.Locator("#stop").ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("stopped");
        await Expect(page.Locator("#message")).ToHaveTextAsync("The run has ended (stopped); this page no longer updates.");

        // Exactly four: the dismissed confirm sent nothing (it would have arrived before the accepted stop).
        var actions = (await server.WaitForControlsAsync(4)).Select(c => JsonDocument.Parse(c.Body).RootElement.GetProperty("action").GetString());
        Assert.That(actions, Is.EqualTo(new[] { "pause", "resume", "checkpoint", "stop" }));
        Assert.That(browser.Problems, Is.Empty);
        await page.CloseAsync();
    }

    // Counts the answers of GET /api/run the page has handled: the timeout runs after the promise chain that used them.
    private const string CountStatusAnswers = """
        window.statusAnswers = 0;
        const json = Response.prototype.json;
        Response.prototype.json = function () {
          const path = new URL(this.url).pathname;
          return json.call(this).then((value) => {
            if (path === "/api/run") setTimeout(() => window.statusAnswers++, 0);
            return value;
          });
        };
        """;

    [Test]
    public async Task AStatusAnswerSentBeforeTheRunEndedCannotBringTheEndedRunBack()
    {
        await using var server = await FakeLiveServer.StartAsync(epochs: 2);
        var page = await browser.OpenUrlAsync(server.Url, CountStatusAnswers);
        await Expect(page.Locator("#status")).ToHaveTextAsync("running");
        using var api = new HttpClient();
        var running = await api.GetStringAsync(server.Url + "/api/run");
        Assert.That(running, Does.Contain("\"status\":\"running\""));

        // The status request the stop's control event starts is answered with the running status, after the stream's final one.
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/api/run", async route =>
        {
            held.TrySetResult();
            await release.Task;
            await route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = running });
        });
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.Locator("#stop").ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("stopped");
        await held.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var answers = await page.EvaluateAsync<int>("window.statusAnswers");
        release.SetResult();
        await page.WaitForFunctionAsync("n => window.statusAnswers > n", answers);

        Assert.That(await page.Locator("#status").InnerTextAsync(), Is.EqualTo("stopped"));
        Assert.That(await page.Locator("#message").InnerTextAsync(), Is.EqualTo("The run has ended (stopped); this page no longer updates."));
        Assert.That(browser.Problems, Is.Empty);
        await page.CloseAsync();
    }

    [Test]
    public async Task WithATokenThePageAsksForItThenPollsAndSendsItAsABearerHeader()
    {
        await using var server = await FakeLiveServer.StartAsync(epochs: 3, token: "s3cret");
        var page = await browser.OpenUrlAsync(server.Url);
        await Expect(page.Locator("#message")).ToHaveTextAsync("This server needs a token: enter it in the Token field above.");

        await page.Locator("#token-input").FillAsync("s3cret");
        await page.Locator("#token-save").ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("running");
        // No event stream with a token (EventSource cannot send headers): the page polls, so start the script here.
        using (var events = new HttpClient())
        {
            events.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret");
            using var stream = await events.GetAsync(server.Url + "/api/run/events", HttpCompletionOption.ResponseHeadersRead);
        }
        await Expect(page.Locator("#loss-chart")).ToHaveAttributeAsync("data-points", "3", new() { Timeout = 30_000 });
        await page.Locator("#lr-input").FillAsync("0.01");
        await page.Locator("#lr-apply").ClickAsync();
        await Expect(page.Locator("#lr")).ToHaveTextAsync("0.01", new() { Timeout = 30_000 });

        Assert.That((await server.WaitForControlsAsync(1))[0].Authorization, Is.EqualTo("Bearer s3cret"));
        Assert.That(await page.EvaluateAsync<string>("sessionStorage.getItem('trainer.token')"), Is.EqualTo("s3cret"));
        Assert.That(browser.Problems.Where(p => !p.Contains("401")), Is.Empty, "only the first load's 401s");
        await page.CloseAsync();
    }
}
