using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trainer.Runs;
using Trainer.Serving.Api;
using Trainer.Serving.Tests.Support;

namespace Trainer.Serving.Tests;

public sealed class LiveApiTests
{
    [Test]
    public async Task ServesStatusHistoryRecipeAndInfoWhileTrainingThenMarksTheEndpointEnded()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), callbacks: [new PacingCallback(5)]);
        var status = await live.WaitForAsync(s => s.LastEpoch is not null, "the first epoch");

        Assert.That((status.RunId, status.Recipe, status.Status, status.Epochs), Is.EqualTo(("run", "serve-test", "running", 200)));
        Assert.That(status.StepsPerEpoch, Is.GreaterThan(0));
        Assert.That(status.LearningRate, Is.EqualTo(0.01));
        Assert.That(status.EtaSeconds, Is.GreaterThan(0));
        Assert.That(status.Best!.Metric, Is.EqualTo("val_loss"));
        var info = await live.Client.GetFromJsonAsync<JsonObject>("/api/info");
        Assert.That(info!.ToJsonString(), Is.EqualTo("""{"mode":"live","runId":"run"}"""));
        var history = await live.Client.GetFromJsonAsync<List<EpochRow>>("/api/run/metrics", ServeJson.Options);
        Assert.That(history![0].Epoch, Is.EqualTo(1));
        Assert.That(history[0].Values.Keys, Is.SupersetOf(new[] { "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr" }));
        using var recipe = await live.Client.GetAsync("/api/run/recipe");
        Assert.That(recipe.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(JsonNode.Parse(await recipe.Content.ReadAsStringAsync())!["Name"]!.GetValue<string>(), Is.EqualTo("serve-test"));
        Assert.That(live.Endpoint.TokenRequired, Is.False);
        Assert.That(live.Endpoint.Pid, Is.EqualTo(Environment.ProcessId));

        Assert.That(await live.StopAsync(), Is.EqualTo(0));
        Assert.That(RunSummaryFile.Read(live.RunDirectory).Status, Is.EqualTo("stopped"));
        var ended = EndpointInfo.Read(live.RunDirectory)!;
        Assert.That((ended.Ended, ended.Status), Is.EqualTo((true, "stopped")));
    }

    [Test]
    public async Task TheEventStreamSendsStatusEpochProgressAndControlEvents()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), callbacks: [new PacingCallback(5)]);
        var events = new List<(string Name, JsonNode Data)>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await live.Client.GetAsync("/api/run/events", HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/event-stream"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));

        async Task ReadUntil(Func<bool> done)
        {
            string? name = null;
            while (!done() && await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add((name!, JsonNode.Parse(line[6..])!));
            }
        }

        await ReadUntil(() => events.Any(e => e.Name == "epoch") && events.Any(e => e.Name == "progress"));
        Assert.That(events[0].Name, Is.EqualTo("status"), "a new client gets the status at once");
        var epoch = events.First(e => e.Name == "epoch").Data;
        Assert.That(epoch["values"]!["train_loss"]!.GetValue<double>(), Is.GreaterThan(0));
        var progress = events.First(e => e.Name == "progress").Data;
        Assert.That(progress["batches"]!.GetValue<int>(), Is.GreaterThan(0));

        using (var accepted = await live.PostAsync("""{"action":"lr","factor":0.5}"""))
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await ReadUntil(() => events.Any(e => e.Name == "control"));
        var control = events.First(e => e.Name == "control").Data;
        Assert.That((control["action"]!.GetValue<string>(), control["field"]!.GetValue<string>(), control["oldValue"]!.GetValue<double>(),
            control["newValue"]!.GetValue<double>(), control["source"]!.GetValue<string>()), Is.EqualTo(("lr", "lr", 0.01, 0.005, "http 127.0.0.1")));
        Assert.That(control.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "action", "field", "oldValue", "newValue", "source", "epoch", "step", "time" }));
    }

    [Test]
    public async Task MetricsExposeTheTrainerMetersInstrumentsForPrometheus()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), callbacks: [new PacingCallback(5)]);
        await live.WaitForAsync(s => s.LastEpoch is not null, "the first epoch");

        using var response = await live.Client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        foreach (var name in new[] { "trainer_epoch{", "trainer_step_total{", "trainer_learning_rate{", "trainer_samples_per_second{", "trainer_paused{" })
            Assert.That(text, Does.Contain(name));
        Assert.That(text, Does.Match("""trainer_loss\{[^}]*split="train"[^}]*\} [0-9.]+"""));
        Assert.That(text, Does.Match("""trainer_accuracy\{[^}]*split="validation"[^}]*\} [0-9.]+"""));
        Assert.That(text, Does.Contain("""trainer_learning_rate{otel_scope_name="Trainer","""));
    }

    [Test]
    public async Task TheRootServesTheDashboardPageWithItsContentSecurityPolicy()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), callbacks: [new PacingCallback(5)]);

        using var root = await live.Client.GetAsync("/");
        using var missing = await live.Client.GetAsync("/no-such-file.js");

        Assert.That(root.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(root.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(root.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("connect-src 'self'"));
        Assert.That(await root.Content.ReadAsStringAsync(), Does.Contain("uPlot"));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
