using System.Text.Json;

namespace Trainer.Bench;

/// <summary>
/// What the dashboard page does to a served run: reads its event stream the whole time and fetches the status after
/// every epoch event. Started before the run; it waits for the run's endpoint.json.
/// </summary>
public sealed class DashboardClient : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private DashboardClient(string runDirectory) => loop = Task.Run(() => Follow(runDirectory, stop.Token));

    /// <summary>Events read so far.</summary>
    public int Events { get; private set; }

    /// <summary>Starts following the run that will serve from <paramref name="runDirectory"/>.</summary>
    public static DashboardClient Start(string runDirectory) => new(runDirectory);

    private async Task Follow(string runDirectory, CancellationToken cancellation)
    {
        var endpoint = Path.Combine(runDirectory, "endpoint.json");
        while (!File.Exists(endpoint)) await Task.Delay(50, cancellation);
        await Task.Delay(50, cancellation); // let the writer finish the file
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(endpoint, cancellation));
        using var http = new HttpClient { BaseAddress = new Uri(document.RootElement.GetProperty("url").GetString()!), Timeout = Timeout.InfiniteTimeSpan };
        using var stream = new StreamReader(await http.GetStreamAsync("/api/run/events", cancellation));
        while (await stream.ReadLineAsync(cancellation) is { } line)
        {
            if (!line.StartsWith("event:", StringComparison.Ordinal)) continue;
            Events++;
            if (line.Contains("epoch", StringComparison.Ordinal)) _ = await http.GetStringAsync("/api/run", cancellation);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        stop.Cancel();
        try { loop.Wait(TimeSpan.FromSeconds(2)); }
        catch (AggregateException) { /* cancelled, or the run ended and closed the stream */ }
        stop.Dispose();
    }
}
