using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Trainer.Serving.Dashboard;
using Trainer.Serving.Tests.Support;

namespace Trainer.Serving.Tests;

/// <summary>
/// Both servers authorise on the matched endpoint (letter case and a trailing slash reach the same rule), refuse other
/// sites' requests and non-JSON bodies, and answer only to their own host names on loopback (DNS rebinding).
/// </summary>
public sealed class EndpointGuardTests
{
    private const string Token = "guard-token-9fXq2LwA7c";

    private static readonly string[] LivePaths =
    [
        "/api/run", "/API/run", "/Api/Run/", "/api/run/metrics", "/api/run/metrics/", "/API/RUN/METRICS", "/api/run/recipe", "/Api/run/Recipe/",
        "/api/run/events", "/api/info", "/api/info/", "/healthz", "/healthz/", "/HEALTHZ", "/metrics", "/metrics/", "/Metrics",
    ];

    [Test]
    public async Task EveryLiveEndpointInEveryCaseAndWithATrailingSlashNeedsTheToken()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), ["--Serve:Token=" + Token], [new PacingCallback(5)], Token);
        await live.WaitForAsync(s => s.Status == "running", "running");
        using var anonymous = new HttpClient { BaseAddress = live.Client.BaseAddress };

        foreach (var path in LivePaths)
        {
            using var refused = await anonymous.GetAsync(path);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), path);
        }
        foreach (var path in new[] { "/api/run", "/API/run", "/healthz/", "/Metrics" })
        {
            using var allowed = await live.Client.GetAsync(path);
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        }
        using (var control = await anonymous.PostAsync("/API/Run/Control", new StringContent("""{"action":"pause"}""", Encoding.UTF8, "application/json")))
            Assert.That(control.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await live.StatusAsync()).Status, Is.EqualTo("running"));
    }

    [Test]
    public async Task EveryDashboardEndpointInEveryCaseNeedsTheToken()
    {
        await using var host = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = RunsFixture.Runs, Token = Token });
        const string runId = "quick-slow";

        foreach (var path in new[] { "/api/runs", "/API/runs", "/Api/Runs/", $"/Api/runs/{runId}/recipe", $"/API/RUNS/{runId}", $"/api/runs/{runId}/metrics/",
                     "/API/studies", "/api/studies/", "/api/info", "/API/INFO/" })
        {
            using var refused = await host.Client.GetAsync(path);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), path);
        }
        using var page = await host.Client.GetAsync("/");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the page itself loads, to ask for the token");
    }

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("multipart/form-data; boundary=x")]
    [TestCase(null)]
    public async Task AControlRequestThatIsNotJsonIsRefused(string? contentType)
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), null, [new PacingCallback(5)]);
        await live.WaitForAsync(s => s.Status == "running", "running");
        var content = new ByteArrayContent("""{"action":"pause"}"""u8.ToArray());
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await live.Client.PostAsync("/api/run/control", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        var before = await live.StatusAsync();
        var after = await live.WaitForAsync(s => s.Step > before.Step + 1, "two more steps");
        Assert.That(after.Status, Is.EqualTo("running"), "nothing was paused");
        Assert.That(live.LogText(), Does.Contain("ServeRefused"));
    }

    [Test]
    public async Task AnotherSitesOriginIsRefusedAndTheRunsOwnIsNot()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), null, [new PacingCallback(5)]);
        await live.WaitForAsync(s => s.Status == "running", "running");

        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/api/run/control") { Content = new StringContent("""{"action":"pause"}""", Encoding.UTF8, "application/json") };
        foreign.Headers.Add("Origin", "http://attacker.test");
        using var refused = await live.Client.SendAsync(foreign);
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/run/recipe");
        read.Headers.Add("Origin", "http://attacker.test");
        using var refusedRead = await live.Client.SendAsync(read);
        using var own = new HttpRequestMessage(HttpMethod.Get, "/api/run");
        own.Headers.Add("Origin", live.Endpoint.Url);
        using var allowed = await live.Client.SendAsync(own);

        Assert.That((refused.StatusCode, refusedRead.StatusCode, allowed.StatusCode), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK)));
        Assert.That((await live.StatusAsync()).Status, Is.EqualTo("running"));
    }

    [TestCase("rebind.attacker.test")]
    [TestCase("192.168.1.5")]
    public async Task OnLoopbackARequestForAnotherHostNameIsRefused(string host)
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), null, [new PacingCallback(5)]);
        await live.WaitForAsync(s => s.Status == "running", "running");
        await using var dashboard = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = RunsFixture.Runs });

        foreach (var (client, path) in new[] { (live.Client, "/api/run/recipe"), (dashboard.Client, "/api/runs") })
        {
            var port = client.BaseAddress!.Port;
            using var rebound = new HttpRequestMessage(HttpMethod.Get, path);
            rebound.Headers.Host = $"{host}:{port}";
            using var refused = await client.SendAsync(rebound);
            using var local = new HttpRequestMessage(HttpMethod.Get, path);
            local.Headers.Host = $"localhost:{port}";
            using var allowed = await client.SendAsync(local);

            Assert.That((refused.StatusCode, allowed.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.OK)), $"{path} as {host}");
        }
    }

    [Test]
    public async Task ConfiguredHostNamesAreAnsweredToo()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), ["--Serve:AllowedHosts=trainer.example.org;127.0.0.1"], [new PacingCallback(5)]);
        await live.WaitForAsync(s => s.Status == "running", "running");
        using var named = new HttpRequestMessage(HttpMethod.Get, "/api/run");
        named.Headers.Host = $"trainer.example.org:{live.Client.BaseAddress!.Port}";

        using var response = await live.Client.SendAsync(named);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
