using System.Net;
using System.Text.Json;
using Trainer.Agent.Queue;
using Trainer.Serving.Api;
using Trainer.Serving.Dashboard;
using Trainer.Serving.Tests.Support;

namespace Trainer.Serving.Tests.Dashboard;

/// <summary>
/// <c>/api/queue</c> over a real SQLite run queue: list, submit, cancel, the request checks, and the guard every mutating
/// request passes (token, Origin, Content-Type, Host). Each refusal is checked on the queue itself, not only on the answer.
/// </summary>
public sealed class DashboardQueueApiTests
{
    private const string Submission = """{"recipe":{"Name":"quickstart","Training":{"Epochs":3}},"overrides":["--Training:Epochs=5","--Optimizer:LearningRate=0.01"],"priority":4}""";

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task<(HttpStatusCode Status, string? Field, string? Detail)> Problem(HttpResponseMessage response)
    {
        var problem = await Json(response);
        return (response.StatusCode, problem.TryGetProperty("field", out var f) ? f.GetString() : null, problem.GetProperty("detail").GetString());
    }

    [Test]
    public async Task InfoSaysThereIsAQueueAndAnEmptyQueueListsNothing()
    {
        await using var dashboard = await QueueDashboard.StartAsync();

        var info = await Json(await dashboard.Host.Client.GetAsync("/api/info"));
        var list = await Json(await dashboard.Host.Client.GetAsync("/api/queue"));

        Assert.That(info.GetProperty("queue").GetBoolean(), Is.True);
        Assert.That(list.GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task WithoutAQueueThereAreNoQueueEndpoints()
    {
        using var folder = new TempFolder();
        await using var host = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = folder.Path });

        var info = await Json(await host.Client.GetAsync("/api/info"));
        using var list = await host.Client.GetAsync("/api/queue");

        Assert.That(info.GetProperty("queue").GetBoolean(), Is.False);
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ASubmittedRecipeIsQueuedWithItsOverridesAndPriorityAndNoRecipePath()
    {
        await using var dashboard = await QueueDashboard.StartAsync();

        using var response = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", Submission);
        var created = await Json(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), created.ToString());
        var id = created.GetProperty("id").GetInt64();
        Assert.That((created.GetProperty("name").GetString(), created.GetProperty("state").GetString(), created.GetProperty("priority").GetInt32()),
            Is.EqualTo(("quickstart", "queued", 4)));
        var stored = dashboard.Queue.Get(id)!;
        Assert.That(stored.State, Is.EqualTo(QueuedRunState.Queued));
        Assert.That(stored.Submission.RecipePath, Is.Null, "a run from the network names no file");
        Assert.That(stored.Submission.Overrides, Is.EqualTo(new[] { "--Training:Epochs=5", "--Optimizer:LearningRate=0.01" }));
        Assert.That(JsonDocument.Parse(stored.Submission.RecipeJson).RootElement.GetProperty("Training").GetProperty("Epochs").GetInt32(), Is.EqualTo(3));
        var listed = (await Json(await dashboard.Host.Client.GetAsync("/api/queue"))).EnumerateArray().Single();
        Assert.That((listed.GetProperty("id").GetInt64(), listed.GetProperty("state").GetString(), listed.GetProperty("attempts").GetInt32()), Is.EqualTo((id, "queued", 0)));
        Assert.That(listed.GetProperty("runId").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task AGivenNameWinsOverTheRecipesAndARecipeWithoutOneIsCalledRecipe()
    {
        await using var dashboard = await QueueDashboard.StartAsync();

        using var named = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", """{"recipe":{"Name":"quickstart"},"name":"night run"}""");
        using var anonymous = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", """{"recipe":{}}""");

        Assert.That(dashboard.Queue.List().Select(r => r.Submission.Name), Is.EquivalentTo(new[] { "night run", "recipe" }));
        Assert.That((named.StatusCode, anonymous.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.Created)));
    }

    [TestCase("not json", "body", "The body is not valid JSON (")]
    [TestCase("[1]", "body", "The body must be a JSON object; send e.g. {\"recipe\":")]
    [TestCase("{}", "recipe", "'recipe' is required and must be the recipe as a JSON object; send e.g.")]
    [TestCase("{\"recipe\":\"quickstart.json\"}", "recipe", "'recipe' is required and must be the recipe as a JSON object;")]
    [TestCase("{\"recipeFile\":\"/etc/passwd\"}", "recipeFile",
        "'recipeFile': a recipe file cannot be named over HTTP; send the recipe itself as the 'recipe' object.")]
    [TestCase("{\"recipe\":{},\"epochs\":5}", "epochs", "'epochs' is not a queue field; the fields are recipe, overrides, priority and name.")]
    [TestCase("{\"recipe\":{},\"recipe\":{}}", "recipe", "'recipe' is given twice; give each field once.")]
    [TestCase("{\"recipe\":{},\"overrides\":\"--Training:Epochs=5\"}", "overrides", "'overrides' must be an array of strings such as \"--Training:Epochs=5\".")]
    [TestCase("{\"recipe\":{},\"overrides\":[\"--Training:Epochs\"]}", "overrides",
        "Override --Training:Epochs is not --Section:Key=value; write e.g. \"--Training:Epochs=5\" (a section and a key, then '=' and the value).")]
    [TestCase("{\"recipe\":{},\"overrides\":[\"--run-dir=/tmp/elsewhere\"]}", "overrides", "Override --run-dir=/tmp/elsewhere is not --Section:Key=value;")]
    [TestCase("{\"recipe\":{},\"overrides\":[\"Training:Epochs=5\"]}", "overrides", "Override Training:Epochs=5 is not --Section:Key=value;")]
    [TestCase("{\"recipe\":{},\"overrides\":[\"--Training:Epochs=5\\n--Serve:Urls=x\"]}", "overrides", "Override --Training:Epochs=5\\u000a--Serve:Urls=x is not")]
    [TestCase("{\"recipe\":{},\"overrides\":[5]}", "overrides", "Override 5 is not --Section:Key=value;")]
    [TestCase("{\"recipe\":{},\"priority\":\"high\"}", "priority", "'priority' must be a whole number (higher runs first); got \"high\".")]
    [TestCase("{\"recipe\":{},\"priority\":1.5}", "priority", "'priority' must be a whole number (higher runs first); got 1.5.")]
    [TestCase("{\"recipe\":{\"Plugins\":[\"/tmp/evil.dll\"]}}", "recipe", "The recipe's 'Plugins' section cannot be sent over HTTP: Plugins, Trainer, Serilog")]
    [TestCase("{\"recipe\":{\"serilog\":{\"WriteTo\":[]}}}", "recipe", "The recipe's 'serilog' section cannot be sent over HTTP:")]
    [TestCase("{\"recipe\":{},\"overrides\":[\"--Trainer:AllowWritablePlugins=true\"]}", "overrides",
        "Override --Trainer:AllowWritablePlugins=true cannot be sent over HTTP:")]
    [TestCase("{\"recipe\":{},\"overrides\":[\"--Serve:Urls=http://0.0.0.0:80\"]}", "overrides", "Override --Serve:Urls=http://0.0.0.0:80 cannot be sent over HTTP:")]
    [TestCase("{\"recipe\":{},\"overrides\":[\"--Plugins:0=/tmp/evil.dll\"]}", "overrides", "Override --Plugins:0=/tmp/evil.dll cannot be sent over HTTP:")]
    [TestCase("{\"recipe\":{},\"name\":\"\"}", "name", "'name' must be a string of 1 to 200 printable characters, or left out for the recipe's Name.")]
    public async Task ABadRequestIs400NamingTheFieldAndQueuesNothing(string body, string field, string detail)
    {
        await using var dashboard = await QueueDashboard.StartAsync();

        using var response = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", body);
        var (status, named, text) = await Problem(response);

        Assert.That((status, named), Is.EqualTo((HttpStatusCode.BadRequest, field)));
        Assert.That(text, Does.StartWith(detail));
        Assert.That(dashboard.Queue.List(), Is.Empty);
    }

    [Test]
    public async Task ABodyOverOneMebibyteIs413()
    {
        await using var dashboard = await QueueDashboard.StartAsync();

        using var response = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", "{\"recipe\":{\"Name\":\"" + new string('a', 1 << 20) + "\"}}");

        Assert.That((await Problem(response)).Status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(dashboard.Queue.List(), Is.Empty);
    }

    [Test]
    public async Task CancellingAQueuedRunEndsItAndAgainIs409()
    {
        await using var dashboard = await QueueDashboard.StartAsync();
        var run = dashboard.Submit("waiting");

        using var first = await dashboard.SendAsync(HttpMethod.Delete, $"/api/queue/{run.Id}");
        var cancelled = await Json(first);
        using var again = await dashboard.SendAsync(HttpMethod.Delete, $"/api/queue/q{run.Id}");

        Assert.That((first.StatusCode, cancelled.GetProperty("state").GetString()), Is.EqualTo((HttpStatusCode.OK, "cancelled")));
        Assert.That(dashboard.Queue.Get(run.Id)!.State, Is.EqualTo(QueuedRunState.Cancelled));
        Assert.That(await Problem(again), Is.EqualTo((HttpStatusCode.Conflict, "id", $"Run q{run.Id} already ended (cancelled); there is nothing to cancel.")));
    }

    [Test]
    public async Task CancellingARunningRunAsksItsAgentToStopIt()
    {
        await using var dashboard = await QueueDashboard.StartAsync();
        var run = dashboard.Submit("busy");
        Assert.That(dashboard.Queue.Claim("agent-a")!.Id, Is.EqualTo(run.Id));

        using var response = await dashboard.SendAsync(HttpMethod.Delete, $"/api/queue/{run.Id}");
        var body = await Json(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((body.GetProperty("state").GetString(), body.GetProperty("cancelRequested").GetBoolean()), Is.EqualTo(("running", true)));
        Assert.That(dashboard.Queue.Heartbeat(run.Id, "agent-a"), Is.EqualTo(HeartbeatReply.Cancel), "the agent hears it at its next heartbeat");
    }

    [TestCase("999")]
    [TestCase("q999")]
    [TestCase("twelve")]
    public async Task CancellingAnUnknownRunIs404(string id)
    {
        await using var dashboard = await QueueDashboard.StartAsync();

        using var response = await dashboard.SendAsync(HttpMethod.Delete, $"/api/queue/{id}");

        Assert.That(await Problem(response), Is.EqualTo((HttpStatusCode.NotFound, "id", $"There is no run '{id}' in the queue; GET /api/queue lists them.")));
    }

    [Test]
    public async Task WithATokenEveryQueueRequestNeedsItAndARefusedOneChangesNothing()
    {
        await using var dashboard = await QueueDashboard.StartAsync(QueueDashboard.StrongToken);
        var waiting = dashboard.Submit("waiting");

        using var list = await dashboard.SendAsync(HttpMethod.Get, "/api/queue");
        using var submit = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", Submission);
        using var wrong = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", Submission, bearer: "not-the-token-at-all-xyz");
        using var cancel = await dashboard.SendAsync(HttpMethod.Delete, $"/api/queue/{waiting.Id}");

        Assert.That(new[] { list.StatusCode, submit.StatusCode, wrong.StatusCode, cancel.StatusCode }, Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(dashboard.Queue.List().Select(r => (r.Id, r.State)), Is.EqualTo(new[] { (waiting.Id, QueuedRunState.Queued) }));

        using var allowed = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", Submission, bearer: QueueDashboard.StrongToken);
        using var cancelled = await dashboard.SendAsync(HttpMethod.Delete, $"/api/queue/{waiting.Id}", bearer: QueueDashboard.StrongToken);
        Assert.That((allowed.StatusCode, cancelled.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.OK)));
        Assert.That(dashboard.Queue.List().Select(r => r.State), Is.EquivalentTo(new[] { QueuedRunState.Queued, QueuedRunState.Cancelled }));
    }

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("multipart/form-data")]
    public async Task ABodyThatIsNotJsonIs415AndQueuesNothing(string contentType)
    {
        await using var dashboard = await QueueDashboard.StartAsync();

        using var response = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", Submission, contentType: contentType);

        Assert.That(await Problem(response), Is.EqualTo((HttpStatusCode.UnsupportedMediaType, "Content-Type", "Send the body as JSON with 'Content-Type: application/json'.")));
        Assert.That(dashboard.Queue.List(), Is.Empty);
    }

    [Test]
    public async Task AForeignOriginIs403ForSubmitAndCancelWhileTheDashboardsOwnOriginIsServed()
    {
        await using var dashboard = await QueueDashboard.StartAsync();
        var waiting = dashboard.Submit("waiting");
        void Foreign(HttpRequestMessage r) => r.Headers.Add("Origin", "http://evil.example");

        using var submit = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", Submission, adjust: Foreign);
        using var cancel = await dashboard.SendAsync(HttpMethod.Delete, $"/api/queue/{waiting.Id}", adjust: Foreign);
        using var nullOrigin = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", Submission, adjust: r => r.Headers.Add("Origin", "null"));

        Assert.That(new[] { submit.StatusCode, cancel.StatusCode, nullOrigin.StatusCode }, Is.All.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(dashboard.Queue.List().Select(r => (r.Id, r.State)), Is.EqualTo(new[] { (waiting.Id, QueuedRunState.Queued) }));

        using var own = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", Submission, adjust: r => r.Headers.Add("Origin", dashboard.Host.Url.TrimEnd('/')));
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task AForeignHostIsRefusedAndQueuesNothing()
    {
        await using var dashboard = await QueueDashboard.StartAsync();

        using var response = await dashboard.SendAsync(HttpMethod.Post, "/api/queue", Submission, adjust: r => r.Headers.Host = "rebind.attacker.test");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(dashboard.Queue.List(), Is.Empty);
    }

    [Test]
    public async Task ARunningRunLinksItsLivePageAndAFinishedOneItsRunReportAndModel()
    {
        await using var dashboard = await QueueDashboard.StartAsync();
        var run = dashboard.Submit("linked");
        dashboard.Queue.Claim("agent-a");
        var directory = dashboard.RunDirectory("linked-q1", ("recipe.json", QueueDashboard.Recipe("linked")));
        new EndpointInfo { Url = "http://127.0.0.1:45678", RunId = "linked-q1", StartedAt = DateTimeOffset.UtcNow }.Write(directory);
        dashboard.Queue.SetRunDirectory(run.Id, "agent-a", directory);

        var running = (await Json(await dashboard.Host.Client.GetAsync($"/api/queue/{run.Id}")));

        Assert.That((running.GetProperty("state").GetString(), running.GetProperty("liveUrl").GetString(), running.GetProperty("runId").GetString()),
            Is.EqualTo(("running", "http://127.0.0.1:45678/", "linked-q1")));
        Assert.That(running.GetProperty("durationSeconds").GetDouble(), Is.GreaterThanOrEqualTo(0));

        dashboard.RunDirectory("linked-q1", ("report.html", "<!doctype html><title>report of linked</title>"), ("model/model.json", "{}"));
        new EndpointInfo { Url = "http://127.0.0.1:45678", RunId = "linked-q1", Ended = true }.Write(directory);
        dashboard.Queue.Finish(run.Id, "agent-a", new RunOutcomeReport(QueuedRunState.Completed, 0, 300L << 20, 12.5));
        var finished = (await Json(await dashboard.Host.Client.GetAsync("/api/queue"))).EnumerateArray().Single();
        using var report = await dashboard.Host.Client.GetAsync("/api/runs/linked-q1/report");

        Assert.That(finished.GetProperty("liveUrl").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That((finished.GetProperty("hasReport").GetBoolean(), finished.GetProperty("hasModel").GetBoolean(), finished.GetProperty("directory").GetString()),
            Is.EqualTo((true, true, "linked-q1")));
        Assert.That((finished.GetProperty("peakMemoryBytes").GetInt64(), finished.GetProperty("durationSeconds").GetDouble(), finished.GetProperty("exitCode").GetInt32()),
            Is.EqualTo((300L << 20, 12.5, 0)));
        Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await report.Content.ReadAsStringAsync(), Does.Contain("report of linked"));
        Assert.That(report.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("sandbox;"), "the report cannot act as the dashboard's origin");
    }

    [Test]
    public async Task ARunDirectoryOutsideTheRunsFolderHasNoRunId()
    {
        await using var dashboard = await QueueDashboard.StartAsync();
        using var elsewhere = new TempFolder();
        var run = dashboard.Submit("elsewhere");
        dashboard.Queue.Claim("agent-a");
        elsewhere.Write("recipe.json", "{}");
        dashboard.Queue.SetRunDirectory(run.Id, "agent-a", elsewhere.Path);

        var listed = (await Json(await dashboard.Host.Client.GetAsync("/api/queue"))).EnumerateArray().Single();

        Assert.That(listed.GetProperty("runId").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(listed.GetProperty("directory").GetString(), Is.EqualTo(elsewhere.Path));
        Assert.That(listed.GetProperty("liveUrl").ValueKind, Is.EqualTo(JsonValueKind.Null), "no endpoint.json");
    }
}
