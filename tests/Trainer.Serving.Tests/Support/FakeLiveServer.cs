using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trainer.Serving.Dashboard;

namespace Trainer.Serving.Tests.Support;

/// <summary>
/// A stand-in for <c>trainer run --serve</c> that implements the live API contract with scripted data: once the first
/// event stream connects, it "trains" <see cref="Epochs"/> epochs, one every <see cref="Interval"/>, emitting
/// <c>progress</c> and <c>epoch</c> events; it records each POSTed control body, answers bad ones with a 400 problem,
/// and applies good ones (learning rate, pause, resume, stop) to its status with <c>control</c> and <c>status</c> events.
/// </summary>
public sealed class FakeLiveServer : IAsyncDisposable
{
    public const int PlannedEpochs = 30;
    public const int StepsPerEpoch = 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly object gate = new();
    private readonly List<(string Name, string Data)> events = [];
    private readonly List<Dictionary<string, object?>> rows = [];
    private readonly WebApplication app;
    private readonly string? token;
    private readonly DateTimeOffset startedAt = DateTimeOffset.UtcNow;
    private Task? training;
    private double learningRate = 0.001;
    private string status = "running";
    private int step;

    private FakeLiveServer(string? token, int epochs, TimeSpan interval)
    {
        this.token = token;
        Epochs = epochs;
        Interval = interval;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (this.token is not null && context.Request.Path.StartsWithSegments("/api") &&
                context.Request.Headers.Authorization.ToString() != $"Bearer {this.token}")
            {
                await Results.Problem(statusCode: 401, title: "Unauthorized", detail: "Send 'Authorization: Bearer TOKEN'.").ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        DashboardPage.Map(app);
        app.MapGet("/api/info", () => Results.Json(new { mode = "live", runId = "fake-run" }, Json));
        app.MapGet("/api/run", () => Results.Json(Status(), Json));
        app.MapGet("/api/run/metrics", () =>
        {
            lock (gate)
            {
                MetricsRequests++;
                return Results.Json(rows.ToList(), Json);
            }
        });
        app.MapGet("/api/run/recipe", () => Results.Text(File.ReadAllText(Repository.Recipe("quickstart.json")), "application/json"));
        app.MapGet("/api/run/events", Events);
        app.MapPost("/api/run/control", (HttpRequest request) => Control(request));
    }

    /// <summary>The epochs the script trains.</summary>
    public int Epochs { get; }

    /// <summary>The time between two epochs.</summary>
    public TimeSpan Interval { get; }

    public string Url { get; private set; } = "";

    /// <summary>Every POSTed control body, as sent, with its Authorization header.</summary>
    public ConcurrentQueue<(string Body, string Authorization)> ControlRequests { get; } = new();

    /// <summary>How many times the page fetched /api/run/metrics.</summary>
    public int MetricsRequests { get; private set; }

    public static async Task<FakeLiveServer> StartAsync(int epochs = 8, TimeSpan? interval = null, string? token = null)
    {
        var server = new FakeLiveServer(token, epochs, interval ?? TimeSpan.FromMilliseconds(300));
        await server.app.StartAsync();
        server.Url = server.app.Urls.Single();
        return server;
    }

    /// <summary>Waits until <paramref name="count"/> control requests arrived; fails after 60 s (a broken test, not a slow machine).</summary>
    public async Task<List<(string Body, string Authorization)>> WaitForControlsAsync(int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (ControlRequests.Count < count && clock.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
        Assert.That(ControlRequests, Has.Count.EqualTo(count), "control requests received");
        return ControlRequests.ToList();
    }

    private object Status()
    {
        lock (gate)
        {
            var last = rows.Count > 0 ? rows[^1] : null;
            var best = rows.MinBy(r => (double)((Dictionary<string, double?>)r["values"]!)["val_loss"]!);
            return new
            {
                runId = "fake-run", recipe = "quickstart", status, epoch = rows.Count, epochs = PlannedEpochs, step,
                stepsPerEpoch = StepsPerEpoch, batch = step % StepsPerEpoch, etaSeconds = status == "running" ? (PlannedEpochs - rows.Count) * Interval.TotalSeconds : (double?)null,
                learningRate, samplesPerSecond = 51234.5, lastEpoch = last,
                best = best is null ? null : new { epoch = best["epoch"], metric = "val_loss", value = ((Dictionary<string, double?>)best["values"]!)["val_loss"] },
                pausedSeconds = 0.0, startedAt,
            };
        }
    }

    private async Task Events(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        int cursor;
        lock (gate)
        {
            cursor = events.Count;
            training ??= Task.Run(Train);
        }
        await context.Response.Body.FlushAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, app.Lifetime.ApplicationStopping);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                (string Name, string Data)[] pending;
                lock (gate) pending = events.Skip(cursor).ToArray();
                cursor += pending.Length;
                foreach (var (name, data) in pending)
                    await context.Response.WriteAsync($"event: {name}\ndata: {data}\n\n", stop.Token);
                if (pending.Length > 0) await context.Response.Body.FlushAsync(stop.Token);
                await Task.Delay(40, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed the stream, or the server stops.
        }
    }

    private async Task Train()
    {
        for (var epoch = 1; epoch <= Epochs; epoch++)
        {
            await Task.Delay(Interval / 2);
            lock (gate)
            {
                step += StepsPerEpoch / 2;
                Emit("progress", new { epoch, batch = StepsPerEpoch / 2, batches = StepsPerEpoch, step });
            }
            await Task.Delay(Interval / 2);
            lock (gate)
            {
                if (status == "stopped") return;
                step += StepsPerEpoch / 2;
                var values = new Dictionary<string, double?>
                {
                    ["lr"] = learningRate,
                    ["train_loss"] = 2.2 * Math.Exp(-0.45 * epoch) + 0.05,
                    ["train_accuracy"] = 1 - 0.8 * Math.Exp(-0.5 * epoch),
                    ["val_loss"] = 2.0 * Math.Exp(-0.4 * epoch) + 0.12 + 0.03 * Math.Sin(epoch),
                    ["val_accuracy"] = 0.97 - 0.75 * Math.Exp(-0.45 * epoch),
                };
                var row = new Dictionary<string, object?> { ["epoch"] = epoch, ["seconds"] = Interval.TotalSeconds, ["samplesPerSecond"] = 51234.5, ["values"] = values };
                rows.Add(row);
                Emit("epoch", row);
            }
        }
    }

    private async Task<IResult> Control(HttpRequest request)
    {
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
        ControlRequests.Enqueue((body, request.Headers.Authorization.ToString()));
        JsonElement control;
        try
        {
            control = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException e)
        {
            return Results.Problem(statusCode: 400, title: "Malformed JSON", detail: $"The body is not JSON: {e.Message}");
        }
        var action = control.TryGetProperty("action", out var a) ? a.GetString() : null;
        lock (gate)
        {
            switch (action)
            {
                case "lr":
                    var old = learningRate;
                    double next;
                    if (control.TryGetProperty("value", out var value)) next = value.GetDouble();
                    else if (control.TryGetProperty("factor", out var factor)) next = old * factor.GetDouble();
                    else return Results.Problem(statusCode: 400, title: "Bad control", detail: "lr needs 'value' or 'factor'.");
                    if (!(next > 0) || !double.IsFinite(next))
                        return Results.Problem(statusCode: 400, title: "Bad learning rate",
                            detail: $"value must be a positive number (got {next.ToString(System.Globalization.CultureInfo.InvariantCulture)}); nothing changed.");
                    learningRate = next;
                    Applied("lr", "lr", old, next); // the real loop names the field as metrics.csv does
                    break;
                case "pause":
                case "resume":
                case "stop":
                    var before = status;
                    status = action == "pause" ? "paused" : action == "resume" ? "running" : "stopped";
                    Applied(action, "status", before, status);
                    break;
                case "checkpoint":
                    Applied(action, null, null, null);
                    break;
                default:
                    return Results.Problem(statusCode: 400, title: "Unknown action", detail: $"action '{action}' is not one of lr, pause, resume, checkpoint, stop.");
            }
        }
        return Results.Json(new { accepted = true, action }, Json, statusCode: 202);
    }

    private void Applied(string action, string? field, object? oldValue, object? newValue)
    {
        Emit("control", new { action, field, oldValue, newValue, source = "http 127.0.0.1", epoch = rows.Count, step, time = DateTimeOffset.UtcNow });
        Emit("status", Status());
    }

    private void Emit(string name, object data) => events.Add((name, JsonSerializer.Serialize(data, Json)));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
