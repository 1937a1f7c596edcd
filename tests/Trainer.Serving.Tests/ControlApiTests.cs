using System.Diagnostics;
using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using Trainer.Runs;
using Trainer.Serving.Tests.Support;

namespace Trainer.Serving.Tests;

public sealed class ControlApiTests
{
    private static readonly (string Body, string Field)[] BadBodies =
    [
        ("""{"action":"lr","value":-1}""", "value"),
        ("""{"action":"lr","value":0}""", "value"),
        ("""{"action":"lr","value":"NaN"}""", "value"),
        ("""{"action":"lr","value":1e999}""", "value"),
        ("""{"action":"lr"}""", "value"),
        ("""{"action":"lr","factor":0}""", "factor"),
        ("""{"action":"lr","factor":-2}""", "factor"),
        ("""{"action":"lr","value":0.1,"factor":0.5}""", "factor"),
        ("""{"action":"warp"}""", "action"),
        ("""{"value":0.1}""", "action"),
        ("""{"action":"lr","valu":0.1}""", "valu"),
        ("""{"action":"pause","value":1}""", "value"),
        ("""{"action":""", "body"),
        ("""[1,2]""", "body"),
        ("", "body"),
        ("""{"action":"pause","action":"stop"}""", "action"),
        ("""{"action":"lr","value":1e308}""", "value"),
        ("""{"action":"lr","value":11}""", "value"),
        ("""{"action":"lr","value":1e-300}""", "value"),
        ("""{"action":"lr","factor":1e308}""", "factor"),
        ("""{"action":"lr","factor":1e-300}""", "factor"),
    ];

    [Test]
    public async Task ControlTextReachesTheConsoleLogEscapedOnOneLine()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), callbacks: [new PacingCallback(5)]);
        await live.WaitForAsync(s => s.Status == "running", "running");

        using var response = await live.PostAsync("{\"action\":\"x\\n[12:00:00 INF] Run completed: forged\\u001b[31m\"}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        Assert.That(problem, Does.StartWith("'x\\u000a[12:00:00 INF] Run completed: forged\\u001b[…' is not an action"), "escaped, and cut at 40 characters");
        Assert.That(live.LogText(), Does.Not.Contain("\\n[12:00:00"), "no raw newline reaches the log's text");
    }

    [Test]
    public async Task BadBodiesGet400ProblemsNamingTheFieldAndChangeNothing()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), callbacks: [new PacingCallback(5)]);
        await live.WaitForAsync(s => s.Status == "running", "running");

        foreach (var (body, field) in BadBodies)
        {
            using var response = await live.PostAsync(body);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"), body);
            Assert.That((problem["status"]!.GetValue<int>(), problem["field"]!.GetValue<string>()), Is.EqualTo((400, field)), body);
            Assert.That(problem["detail"]!.GetValue<string>(), Is.Not.Empty);
        }
        using (var tooLarge = await live.PostAsync($$"""{"action":"pause","pad":"{{new string('x', 20_000)}}"}"""))
        {
            Assert.That(tooLarge.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(JsonNode.Parse(await tooLarge.Content.ReadAsStringAsync())!["field"]!.GetValue<string>(), Is.EqualTo("body"));
        }

        // Commands apply before a step: two steps later, anything accepted would show.
        var before = await live.StatusAsync();
        var after = await live.WaitForAsync(s => s.Step > before.Step + 1, "the run to go on");
        Assert.That((after.Status, after.LearningRate), Is.EqualTo(("running", 0.01)), "nothing changed");
        Assert.That(live.LogText(), Does.Not.Contain("\"ControlApplied\""));
        Assert.That(live.LogText(), Does.Contain("ControlRejected"));
    }

    [Test]
    public async Task PauseHoldsTheStepAndResumeContinuesWithoutCountingThePause()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), ["--Serve:StallSeconds=0.5"], [new PacingCallback(5)]);
        await live.WaitForAsync(s => s.LastEpoch is not null, "the first epoch");

        using (var accepted = await live.PostAsync("""{"action":"pause"}"""))
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var paused = await live.WaitForAsync(s => s.Status == "paused", "paused");
        await Task.Delay(2000);
        var stillPaused = await live.StatusAsync();
        using (var health = await live.Client.GetAsync("/healthz"))
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a pause is not a stall");
        Assert.That((stillPaused.Status, stillPaused.Step), Is.EqualTo(("paused", paused.Step)), "no step while paused");

        using (var accepted = await live.PostAsync("""{"action":"resume"}"""))
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var resumed = await live.WaitForAsync(s => s.Status == "running" && s.Epoch > paused.Epoch + 1, "two more epochs");
        Assert.That(resumed.PausedSeconds, Is.GreaterThan(1.9));
        var pausedEpoch = (await live.Client.GetFromJsonAsync<List<Api.EpochRow>>("/api/run/metrics", Api.ServeJson.Options))!.Single(r => r.Epoch == paused.Epoch);
        Assert.That(pausedEpoch.Seconds, Is.LessThan(1.9), "the paused epoch's seconds leave the pause out");
        Assert.That(live.LogText(), Does.Contain("\"ControlApplied\"").And.Contain("paused"));
    }

    [Test]
    public async Task AFactorHalvesTheRateFromTheNextEpochAndAnExponentialScheduleContinuesFromTheNewRate()
    {
        var recipe = LiveRunFixture.Recipe(learningRate: 0.01,
            extra: """ "Callbacks": [ { "Type": "LearningRateSchedule", "Options": { "Schedule": "Exponential", "Rate": 0.8 } } ] """);
        await using var live = await LiveRunFixture.StartAsync(recipe, callbacks: [new PacingCallback(5)]);
        await live.WaitForAsync(s => s.LastEpoch is not null, "the first epoch");

        using (var pause = await live.PostAsync("""{"action":"pause"}""")) Assert.That(pause.IsSuccessStatusCode);
        var paused = await live.WaitForAsync(s => s.Status == "paused", "paused");
        using (var lr = await live.PostAsync("""{"action":"lr","value":0.001}""")) Assert.That(lr.IsSuccessStatusCode);
        var changed = await live.WaitForAsync(s => s.LearningRate == 0.001, "the new rate");
        using (var resume = await live.PostAsync("""{"action":"resume"}""")) Assert.That(resume.IsSuccessStatusCode);
        await live.WaitForAsync(s => s.LastEpoch?.Epoch >= paused.Epoch + 3, "three more epochs");

        var rows = (await live.Client.GetFromJsonAsync<List<Api.EpochRow>>("/api/run/metrics", Api.ServeJson.Options))!;
        var k = paused.Epoch;
        foreach (var row in rows.Where(r => r.Epoch < k))
            Assert.That(row.Values["lr"], Is.EqualTo(0.01 * Math.Pow(0.8, row.Epoch - 1)).Within(1e-12), $"epoch {row.Epoch} before the change");
        foreach (var row in rows.Where(r => r.Epoch > k))
            Assert.That(row.Values["lr"], Is.EqualTo(0.001 * Math.Pow(0.8, row.Epoch - k)).Within(1e-12), $"epoch {row.Epoch}: the schedule goes on from 0.001");
        Assert.That(changed.Epoch, Is.EqualTo(k));
    }

    [Test]
    public async Task CheckpointNowWritesACheckpointThroughTheCheckpointCallback()
    {
        var recipe = LiveRunFixture.Recipe(
            extra: """ "Callbacks": [ { "Type": "Checkpoint", "Options": { "EveryEpochs": 100000, "EveryMinutes": 0, "SaveOnStop": false } } ] """);
        await using var live = await LiveRunFixture.StartAsync(recipe, callbacks: [new PacingCallback(5)]);
        await live.WaitForAsync(s => s.Step > 3, "a few steps");
        var folder = Path.Combine(live.RunDirectory, "checkpoints");

        using var accepted = await live.PostAsync("""{"action":"checkpoint"}""");
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var clock = Stopwatch.StartNew();
        while (Directory.GetFiles(folder, "*.ckpt").Length == 0 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);

        Assert.That(Directory.GetFiles(folder, "*.ckpt"), Has.Length.EqualTo(1));
        Assert.That(Checkpoints.CheckpointFile.Read(Directory.GetFiles(folder, "*.ckpt")[0]).Reason, Is.EqualTo("request"));
    }

    [Test]
    public async Task CheckpointNowWithoutACheckpointCallbackIsAConflictThatSaysSo()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), callbacks: [new PacingCallback(5)]);

        using var response = await live.PostAsync("""{"action":"checkpoint"}""");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("no Checkpoint callback"));
    }

    [Test]
    public async Task StopEndsTheRunWithStatusStoppedAndExitCodeZero()
    {
        await using var live = await LiveRunFixture.StartAsync(LiveRunFixture.Recipe(), callbacks: [new PacingCallback(5)]);
        await live.WaitForAsync(s => s.Step > 3, "a few steps");

        using (var accepted = await live.PostAsync("""{"action":"stop"}""")) Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var code = await live.StopAsync();

        Assert.That(code, Is.EqualTo(0));
        Assert.That(RunSummaryFile.Read(live.RunDirectory).Status, Is.EqualTo("stopped"));
        Assert.That(live.LogText(), Does.Contain("StopRequested"));
    }
}
