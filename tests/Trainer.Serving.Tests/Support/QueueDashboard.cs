using System.Net.Http.Headers;
using System.Text;
using Trainer.Agent.Queue;
using Trainer.Serving.Dashboard;

namespace Trainer.Serving.Tests.Support;

/// <summary>A dashboard over an empty runs folder and a fresh SQLite run queue, in a temporary folder deleted on dispose.</summary>
public sealed class QueueDashboard : IAsyncDisposable
{
    /// <summary>A token strong enough for <c>TokenRules</c>.</summary>
    public const string StrongToken = "queue-test-token-7Qm2ZpX9";

    private readonly TempFolder folder;

    private QueueDashboard(TempFolder folder, SqliteRunQueue queue, DashboardHost host)
    {
        this.folder = folder;
        Queue = queue;
        Host = host;
    }

    public IRunQueue Queue { get; }

    public DashboardHost Host { get; }

    public string Runs => folder.File("runs");

    public static async Task<QueueDashboard> StartAsync(string? token = null)
    {
        var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("runs"));
        var queue = new SqliteRunQueue(folder.File("queue.db"));
        var host = await DashboardHost.StartAsync(new DashboardOptions { RunsDirectory = folder.File("runs"), Queue = queue, Token = token });
        return new QueueDashboard(folder, queue, host);
    }

    /// <summary>A small recipe's JSON text.</summary>
    public static string Recipe(string name) => "{\"Name\":" + System.Text.Json.JsonSerializer.Serialize(name) + ",\"Training\":{\"Epochs\":2}}";

    /// <summary>Queues <paramref name="name"/> directly (as <c>trainer submit</c> would).</summary>
    public QueuedRun Submit(string name, int priority = 0) => Queue.Submit(new QueueSubmission(name, Recipe(name), [], priority));

    /// <summary>A JSON request to the dashboard, with the bearer token when given.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, string? bearer = null, string contentType = "application/json",
        Action<HttpRequestMessage>? adjust = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, contentType);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        adjust?.Invoke(request);
        return Host.Client.SendAsync(request);
    }

    /// <summary>Makes a run directory under runs/ with the files named (relative path → text); returns its full path.</summary>
    public string RunDirectory(string name, params (string File, string Text)[] files)
    {
        foreach (var (file, text) in files) folder.Write($"runs/{name}/{file}", text);
        return folder.File($"runs/{name}");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Queue.Dispose();
        folder.Dispose();
    }
}
