using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trainer.Agent.Queue;
using Trainer.Cli.Tests.Support;
using Trainer.Hosting;

namespace Trainer.Cli.Tests;

/// <summary><c>trainer dashboard --queue LOC</c> and <c>trainer agent --dashboard [URL]</c>: the queue view and API from the command line.</summary>
public sealed class QueueDashboardCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private static async Task<JsonElement> GetJson(HttpClient client, string path) =>
        JsonDocument.Parse(await client.GetStringAsync(path)).RootElement.Clone();

    [Test]
    [Platform(Exclude = "Win", Reason = "POSIX signals")]
    public async Task TheDashboardWithAQueueListsItsRunsAndCancelsOne()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("runs"));
        var queue = $"sqlite:{folder.File("queue.db")}";
        var submitted = TrainerProcess.Run(folder.Path, "submit", Repository.Recipe("quickstart.json"), "--queue", queue, "--Training:Epochs=1");
        Assert.That(submitted.ExitCode, Is.EqualTo(ExitCodes.Completed), submitted.Error);
        using var dashboard = new TrainerProcess(folder.Path, "dashboard", "--queue", queue);
        var line = dashboard.WaitForLine(l => l.StartsWith("Dashboard: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the dashboard's address");
        using var client = new HttpClient { BaseAddress = new Uri(line["Dashboard: ".Length..]) };

        var listed = (await GetJson(client, "/api/queue")).EnumerateArray().Single();
        using var cancel = await client.DeleteAsync($"/api/queue/{listed.GetProperty("id").GetInt64()}");

        Assert.That((listed.GetProperty("name").GetString(), listed.GetProperty("state").GetString()), Is.EqualTo(("quickstart", "queued")));
        Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var runs = RunQueues.Open(queue)) Assert.That(runs.List().Single().State, Is.EqualTo(QueuedRunState.Cancelled));
        dashboard.Signal("INT");
        Assert.That(dashboard.WaitForExit(TimeSpan.FromSeconds(60)).ExitCode, Is.EqualTo(ExitCodes.Completed));
    }

    [Test]
    public void TheDashboardRefusesAQueueLocationItCannotOpen()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("runs"));

        var (code, output, error) = TrainerProcess.Run(folder.Path, "dashboard", "--queue", "mysql:queue");

        Assert.That((code, output, error), Is.EqualTo((ExitCodes.InvalidInput, "",
            "error: --queue: Run queue 'mysql:queue' is not supported; use sqlite:PATH or postgres:CONNECTION." + Environment.NewLine)));
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "POSIX signals")]
    public async Task AnAgentWithDashboardServesItsQueueAndRunsARecipeSubmittedOverHttp()
    {
        using var folder = new TempFolder();
        var queue = $"sqlite:{folder.File("queue.db")}";
        using var agent = new TrainerProcess(folder.Path, "agent", "--queue", queue, "--runs", "runs", "--poll", "0.2", "--agent-id", "web", "--dashboard");
        var line = agent.WaitForLine(l => l.StartsWith("Dashboard: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the agent's dashboard address");
        Assert.That(line, Does.Match(@"^Dashboard: http://127\.0\.0\.1:\d+/$"));
        using var client = new HttpClient { BaseAddress = new Uri(line["Dashboard: ".Length..]) };
        var recipe = JsonNode.Parse(File.ReadAllText(Repository.Recipe("quickstart.json")))!;
        var body = new JsonObject { ["recipe"] = recipe, ["overrides"] = new JsonArray("--Training:Epochs=1"), ["name"] = "from-the-web" };

        using var submit = await client.PostAsync("/api/queue", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.That(submit.StatusCode, Is.EqualTo(HttpStatusCode.Created), await submit.Content.ReadAsStringAsync());
        var clock = Stopwatch.StartNew();
        JsonElement run;
        do
        {
            Assert.That(clock.Elapsed, Is.LessThan(Patience), $"the run finished; agent output:\n{agent.OutputSoFar}");
            await Task.Delay(200);
            run = (await GetJson(client, "/api/queue")).EnumerateArray().Single();
        } while (run.GetProperty("state").GetString() is "queued" or "running");

        Assert.That(run.GetProperty("state").GetString(), Is.EqualTo("completed"), agent.OutputSoFar);
        Assert.That((run.GetProperty("runId").GetString(), run.GetProperty("hasModel").GetBoolean()), Is.EqualTo(("from-the-web-q1", true)));
        Assert.That(run.GetProperty("peakMemoryBytes").GetInt64(), Is.GreaterThan(50L << 20), "a trainer process holds tens of MB at least");
        Assert.That((await GetJson(client, "/api/runs/from-the-web-q1")).GetProperty("status").GetString(), Is.EqualTo("completed"));
        agent.Signal("TERM");
        Assert.That(agent.WaitForExit(TimeSpan.FromSeconds(60)).ExitCode, Is.EqualTo(ExitCodes.Completed));
        Assert.That(File.ReadAllText(folder.File("runs/agent-web.clef")), Does.Contain("\"DashboardUrl\":\"" + line["Dashboard: ".Length..]), "the address is logged");
    }

    [Test]
    public void AnAgentDashboardBeyondLoopbackNeedsAToken()
    {
        using var folder = new TempFolder();

        var (code, output, error) = TrainerProcess.Run(folder.Path, "agent", "--queue", $"sqlite:{folder.File("queue.db")}", "--dashboard", "http://0.0.0.0:0");

        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput), output);
        Assert.That(error, Is.EqualTo("error: --dashboard http://0.0.0.0:0 is reachable from other machines, so it needs a token: give --token TOKEN " +
                                      "(every API request then needs 'Authorization: Bearer TOKEN'), or listen on http://127.0.0.1:0." + Environment.NewLine));
    }
}
