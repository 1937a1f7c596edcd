using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Trainer.Agent.Queue;
using Trainer.Serving.Api;
using Trainer.Serving.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Trainer.Serving.Tests.Dashboard;

/// <summary>
/// The Queue section of the dashboard page in headless Chromium over a real SQLite queue, and a hostile page on another
/// origin trying every way a browser lets any site send to the dashboard: nothing reaches the queue.
/// </summary>
public sealed class DashboardQueueBrowserTests
{
    [Test]
    public async Task TheQueueViewListsEveryRunAndCancelsOneWithTheTokenThePageHolds()
    {
        await using var dashboard = await QueueDashboard.StartAsync(QueueDashboard.StrongToken);
        var done = dashboard.Submit("finished-one");
        dashboard.Queue.Claim("agent-a");
        var doneDirectory = dashboard.RunDirectory("finished-one-q1", ("recipe.json", "{}"), ("report.html", "<!doctype html><title>r</title>"));
        dashboard.Queue.SetRunDirectory(done.Id, "agent-a", doneDirectory);
        dashboard.Queue.Finish(done.Id, "agent-a", new RunOutcomeReport(QueuedRunState.Completed, 0, 256L << 20, 75));
        var running = dashboard.Submit("running-one");
        dashboard.Queue.Claim("agent-a");
        var runningDirectory = dashboard.RunDirectory("running-one-q2", ("recipe.json", "{}"));
        new EndpointInfo { Url = "http://127.0.0.1:45678", RunId = "running-one-q2", StartedAt = DateTimeOffset.UtcNow }.Write(runningDirectory);
        dashboard.Queue.SetRunDirectory(running.Id, "agent-a", runningDirectory);
        var waiting = dashboard.Submit("waiting-one", priority: 3);
        await using var browser = await HeadlessBrowser.LaunchAsync();

        var page = await browser.OpenUrlAsync(dashboard.Host.Url, $"sessionStorage.setItem('trainer.token', '{QueueDashboard.StrongToken}');");

        var rows = page.Locator("#queue tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        Assert.That(await rows.Locator("td:nth-child(2)").AllInnerTextsAsync(), Is.EqualTo(new[] { "waiting-one", "running-one", "finished-one" }), "the queue's order");
        var finished = page.Locator("#queue tbody tr[data-id='1']");
        Assert.That(await finished.Locator("td.state").InnerTextAsync(), Is.EqualTo("completed"));
        Assert.That(await finished.Locator("td").AllInnerTextsAsync(), Does.Contain("256 MB").And.Contain("1 min 15 s"));
        Assert.That(await finished.Locator("a", new() { HasText = "run" }).GetAttributeAsync("href"), Is.EqualTo("?run=finished-one-q1"));
        Assert.That(await finished.Locator("a", new() { HasText = "report" }).GetAttributeAsync("href"),
            Is.EqualTo($"/api/runs/finished-one-q1/report?access_token={QueueDashboard.StrongToken}"));
        Assert.That(await finished.Locator("button").CountAsync(), Is.Zero, "a finished run cannot be cancelled");
        var live = page.Locator("#queue tbody tr[data-id='2'] a", new() { HasText = "live" });
        Assert.That(await live.GetAttributeAsync("href"), Is.EqualTo("http://127.0.0.1:45678/"));

        await page.Locator($"#queue tbody tr[data-id='{waiting.Id}'] button", new() { HasText = "Cancel" }).ClickAsync();

        await Expect(page.Locator($"#queue tbody tr[data-id='{waiting.Id}'] td.state")).ToHaveTextAsync("cancelled");
        await Expect(page.Locator("#queue-result")).ToHaveTextAsync($"Cancelled q{waiting.Id} waiting-one.");
        Assert.That(dashboard.Queue.Get(waiting.Id)!.State, Is.EqualTo(QueuedRunState.Cancelled));
        Assert.That(dashboard.Queue.Get(running.Id)!.State, Is.EqualTo(QueuedRunState.Running), "only the run whose button was pressed");

        await page.Locator($"#queue tbody tr[data-id='{running.Id}'] button", new() { HasText = "Cancel" }).ClickAsync();

        await Expect(page.Locator($"#queue tbody tr[data-id='{running.Id}'] td.state")).ToHaveTextAsync("running (cancelling)");
        Assert.That(dashboard.Queue.Get(running.Id)!.CancelRequested, Is.True);
        Assert.That(browser.Problems, Is.Empty, "no console errors, failed requests or requests elsewhere");
    }

    [Test]
    public async Task ASubmittedRunAppearsInTheQueueViewWithoutReloading()
    {
        await using var dashboard = await QueueDashboard.StartAsync();
        await using var browser = await HeadlessBrowser.LaunchAsync();
        var page = await browser.OpenUrlAsync(dashboard.Host.Url);
        await Expect(page.Locator("#no-queue")).ToBeVisibleAsync();

        var run = dashboard.Submit("late-arrival");

        await Expect(page.Locator($"#queue tbody tr[data-id='{run.Id}'] td.state")).ToHaveTextAsync("queued", new() { Timeout = 60_000 });
        await Expect(page.Locator("#no-queue")).ToBeHiddenAsync();
    }

    [Test]
    public async Task APageOnAnotherOriginCannotSubmitOrCancel()
    {
        // No token: a loopback dashboard whose only protection from other sites is the Origin and Content-Type guard.
        await using var dashboard = await QueueDashboard.StartAsync();
        var waiting = dashboard.Submit("waiting");
        await using var attacker = await HostilePage.StartAsync(dashboard.Host.Url.TrimEnd('/'), waiting.Id);
        await using var browser = await HeadlessBrowser.LaunchAsync();

        var page = await browser.OpenUrlAsync(attacker.Url);

        await Expect(page.Locator("#sent")).ToHaveTextAsync("done", new() { Timeout = 60_000 });
        Assert.That(await page.Locator("#cors").InnerTextAsync(), Is.EqualTo("blocked"), "a CORS fetch with JSON is refused at its preflight");
        Assert.That(await page.Locator("#cancel").InnerTextAsync(), Is.EqualTo("blocked"), "a CORS DELETE likewise");
        Assert.That(dashboard.Queue.List().Select(r => (r.Id, r.State, r.CancelRequested)), Is.EqualTo(new[] { (waiting.Id, QueuedRunState.Queued, false) }),
            "nothing was queued and nothing cancelled");
    }

    /// <summary>A web server on its own port (another origin) whose page sends to the dashboard in every way a page may.</summary>
    private sealed class HostilePage : IAsyncDisposable
    {
        private readonly WebApplication app;

        private HostilePage(WebApplication app) => this.app = app;

        public string Url => app.Urls.Single();

        public static async Task<HostilePage> StartAsync(string target, long victim)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            const string body = """{"recipe":{"Name":"evil"},"overrides":["--Training:Epochs=1"]}""";
            app.MapGet("/", () => Results.Content($$"""
                <!doctype html><html><head><link rel="icon" href="data:,"><title>innocent</title></head><body>
                <p id="sent">sending</p><p id="cors">?</p><p id="cancel">?</p>
                <iframe name="plain" style="display:none"></iframe><iframe name="url" style="display:none"></iframe>
                <form id="plain-form" method="post" action="{{target}}/api/queue" target="plain" enctype="text/plain">
                  <input name='{"recipe":{"Name":"evil"},"x":"' value='"}'>
                </form>
                <form id="url-form" method="post" action="{{target}}/api/queue" target="url">
                  <input name="recipe" value='{"Name":"evil"}'>
                </form>
                <script>
                  const body = '{{body}}';
                  const show = (id, text) => { document.getElementById(id).textContent = text; };
                  const post = (form, frame) => new Promise(resolve => {
                    document.querySelector("iframe[name=" + frame + "]").onload = resolve;
                    document.getElementById(form).submit();
                  });
                  (async () => {
                    await fetch("{{target}}/api/queue", { method: "POST", mode: "no-cors", body }).catch(() => null);
                    await fetch("{{target}}/api/queue", { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body }).catch(() => null);
                    await fetch("{{target}}/api/queue", { method: "POST", mode: "no-cors", headers: { "Content-Type": "application/json" }, body }).catch(() => null);
                    navigator.sendBeacon("{{target}}/api/queue", body);
                    show("cors", await fetch("{{target}}/api/queue", { method: "POST", headers: { "Content-Type": "application/json" }, body })
                      .then(r => "answered " + r.status, () => "blocked"));
                    show("cancel", await fetch("{{target}}/api/queue/{{victim}}", { method: "DELETE" }).then(r => "answered " + r.status, () => "blocked"));
                    await fetch("{{target}}/api/queue/{{victim}}", { method: "DELETE", mode: "no-cors" }).catch(() => null);
                    await post("plain-form", "plain");
                    await post("url-form", "url");
                    // The beacon goes on its own; a last request on the same path after it is answered means it was answered too.
                    await fetch("{{target}}/api/queue", { method: "POST", mode: "no-cors", body }).catch(() => null);
                    show("sent", "done");
                  })();
                </script></body></html>
                """, "text/html"));
            await app.StartAsync();
            return new HostilePage(app);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
