using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Trainer.Callbacks;
using Trainer.Hosting;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Plugins;
using Trainer.Serving.Api;

namespace Trainer.Serving.Tests.Support;

/// <summary>
/// A run served in this process, as <c>trainer run RECIPE --serve</c> does (the same host factory), in a temporary
/// folder; an HttpClient pointed at the address from its endpoint.json.
/// </summary>
public sealed class LiveRunFixture : IAsyncDisposable
{
    private readonly StringWriter errors;

    private LiveRunFixture(string folder, Task<int> run, StringWriter errors)
    {
        Folder = folder;
        Run = run;
        this.errors = errors;
    }

    public string Folder { get; }
    public string RunDirectory => Path.Combine(Folder, "run");
    public Task<int> Run { get; }
    public string Errors => errors.ToString();
    public HttpClient Client { get; private set; } = null!;
    public EndpointInfo Endpoint { get; private set; } = null!;

    public static PluginCatalog Catalog => new PluginCatalog().Add<Trainer.Plugins.Checkpoints.CheckpointCallback>()
        .Add<Trainer.Plugins.LearningRate.LearningRateScheduleCallback>();

    /// <summary>A digits recipe that trains long enough to be steered; <paramref name="extra"/> adds top-level members.</summary>
    public static string Recipe(int epochs = 200, double learningRate = 0.01, string extra = "") => $$"""
        {
          "Name": "serve-test",
          "Data": { "Source": "digits", "ValidationFraction": 0.15 },
          "Model": { "Kind": "mlp", "Hidden": [32], "BatchNorm": true },
          "Optimizer": { "Kind": "adam", "LearningRate": {{learningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}} },
          "Training": { "Epochs": {{epochs}}, "BatchSize": 128, "Device": "cpu", "Seed": 1, "Threads": 1 }{{(extra.Length > 0 ? "," + extra : "")}}
        }
        """;

    /// <summary>Starts the run and waits until it serves.</summary>
    public static async Task<LiveRunFixture> StartAsync(string recipe, string[]? overrides = null, TrainingCallback[]? callbacks = null, string? token = null,
        bool serve = false)
    {
        var folder = Directory.CreateTempSubdirectory("trainer-serve-").FullName;
        var path = Path.Combine(folder, "recipe.json");
        await File.WriteAllTextAsync(path, recipe);
        var errors = new StringWriter();
        var request = new RunRequest
        {
            Recipe = RecipeSource.FromFile(path), RunDirectory = Path.Combine(folder, "run"), Console = false, AppSettings = null,
            Overrides = ["--Serve:Urls=http://127.0.0.1:0", .. overrides ?? []], ExtraCallbacks = callbacks ?? [],
            HostFactory = new ServingHostFactory(serve), // without --serve, a Serve:Urls value turns serving on, as in a recipe
        };
        var run = Task.Run(() => new TrainerApplication(Catalog, errors).RunAsync(request));
        var fixture = new LiveRunFixture(folder, run, errors);
        await fixture.WaitForEndpointAsync(errors);
        var client = new HttpClient { BaseAddress = new Uri(fixture.Endpoint.Url), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        fixture.Client = client;
        return fixture;
    }

    private async Task WaitForEndpointAsync(StringWriter runErrors)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (Run.IsCompleted) Assert.Fail($"The run ended before serving (exit {await Run}): {runErrors}");
            if (EndpointInfo.Read(RunDirectory) is { } endpoint)
            {
                Endpoint = endpoint;
                return;
            }
            await Task.Delay(25);
        }
        Assert.Fail("The run did not write endpoint.json within 60 s.");
    }

    public async Task<LiveRunStatus> StatusAsync() => (await Client.GetFromJsonAsync<LiveRunStatus>("/api/run", ServeJson.Options))!;

    public Task<HttpResponseMessage> PostAsync(string json) =>
        Client.PostAsync("/api/run/control", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Polls the status until <paramref name="condition"/> holds; fails after <paramref name="seconds"/>.</summary>
    public async Task<LiveRunStatus> WaitForAsync(Func<LiveRunStatus, bool> condition, string what, double seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await StatusAsync();
            if (condition(status)) return status;
            if (clock.Elapsed.TotalSeconds > seconds) Assert.Fail($"Timed out waiting for {what}; status {JsonSerializer.Serialize(status, ServeJson.Options)}");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops the run through the API (if it still runs) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!Run.IsCompleted)
        {
            try
            {
                using var _ = await PostAsync("""{"action":"stop"}""");
            }
            catch (HttpRequestException)
            {
                // it ended meanwhile
            }
        }
        var finished = await Task.WhenAny(Run, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.That(finished, Is.SameAs(Run), "the run ends within 60 s of a stop");
        return await Run;
    }

    public string LogText()
    {
        var log = Path.Combine(RunDirectory, "log.clef");
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted) await StopAsync();
        Client?.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
