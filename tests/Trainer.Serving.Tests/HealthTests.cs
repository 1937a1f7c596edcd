using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Trainer.Serving.Tests.Support;

namespace Trainer.Serving.Tests;

public sealed class HealthTests
{
    [Test]
    public async Task HealthzTurnsUnhealthyWhenTheLoopStallsAndHealthyWhenItMovesAgain()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), ["--Serve:StallSeconds=1"],
            [new PacingCallback(5), new SlowBatchCallback(step: 15, seconds: 4)]);

        var (healthy, _) = await Health(live);
        Assert.That(healthy, Is.EqualTo(HttpStatusCode.OK));
        var (stalled, body) = await Until(live, HttpStatusCode.ServiceUnavailable);
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo("Unhealthy"));
        Assert.That(body["description"]!.GetValue<string>(), Does.StartWith("No batch finished for"));
        var (recovered, _) = await Until(live, HttpStatusCode.OK);
        Assert.That((stalled, recovered), Is.EqualTo((HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK)));
        Assert.That((await live.StatusAsync()).Step, Is.GreaterThanOrEqualTo(15), "it moved on past the slow batch");
    }

    private static async Task<(HttpStatusCode Code, JsonNode Body)> Health(LiveRunFixture live)
    {
        using var response = await live.Client.GetAsync("/healthz");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static async Task<(HttpStatusCode Code, JsonNode Body)> Until(LiveRunFixture live, HttpStatusCode wanted)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var result = await Health(live);
            if (result.Code == wanted || clock.Elapsed > TimeSpan.FromSeconds(30)) return result;
            await Task.Delay(100);
        }
    }
}
