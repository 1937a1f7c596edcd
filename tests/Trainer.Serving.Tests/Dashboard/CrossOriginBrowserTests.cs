using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Trainer.Serving.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Trainer.Serving.Tests.Dashboard;

/// <summary>
/// A hostile page on another origin, in headless Chromium, tries what a browser lets any site do without asking: a
/// no-cors POST with a text/plain body to a live run on loopback. The run must not pause.
/// </summary>
public sealed class CrossOriginBrowserTests
{
    [Test]
    public async Task APageOnAnotherOriginCannotPauseARun()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), null, [new PacingCallback(5)]);
        await live.WaitForAsync(s => s.Status == "running", "running");
        await using var attacker = await HostilePage.StartAsync(live.Endpoint.Url);
        await using var browser = await HeadlessBrowser.LaunchAsync();

        var page = await browser.OpenUrlAsync(attacker.Url);
        await Expect(page.Locator("#sent")).ToHaveTextAsync("done", new() { Timeout = 60_000 });

        // Every request reached the run and was refused there; two steps later a pause would have been applied.
        var before = await live.StatusAsync();
        var after = await live.WaitForAsync(s => s.Step > before.Step + 1, "two more steps");
        Assert.That(after.Status, Is.EqualTo("running"), "the run was not paused");
        Assert.That(live.LogText().Split('\n').Count(l => l.Contains("ServeRefused", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2),
            "the no-cors text/plain post and the form post were refused");
        Assert.That(live.LogText(), Does.Not.Contain("\"ControlApplied\""));
    }

    /// <summary>A web server on its own port (another origin) whose page posts to the run in the ways a page may without CORS.</summary>
    private sealed class HostilePage : IAsyncDisposable
    {
        private readonly WebApplication app;

        private HostilePage(WebApplication app) => this.app = app;

        public string Url => app.Urls.Single();

        public static async Task<HostilePage> StartAsync(string target)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/", () => Results.Content($$"""
                <!doctype html><html><head><link rel="icon" href="data:,"><title>innocent</title></head><body>
                <p id="sent">sending</p>
                <iframe name="sink" style="display:none"></iframe>
                <form id="form" method="post" action="{{target}}/api/run/control" target="sink" enctype="text/plain">
                  <input name='{"action":"pause","x":"' value='"}'>
                </form>
                <script>
                  fetch("{{target}}/api/run/control", { method: "POST", mode: "no-cors", body: '{"action":"pause"}' })
                    .catch(() => null)
                    .then(() => { document.getElementById("form").submit(); })
                    .then(() => new Promise(r => setTimeout(r, 0)))
                    .then(() => fetch("{{target}}/api/run/control", { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body: '{"action":"stop"}' }).catch(() => null))
                    .then(() => { document.getElementById("sent").textContent = "done"; });
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
