using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Trainer.Serving.Live;

namespace Trainer.Serving.Http;

/// <summary>
/// <c>GET /api/run/events</c>: Server-Sent Events ("status" at once, then "epoch", "control", "progress", "status"), a
/// comment every 15 s to keep proxies from closing it, until the client leaves or the run's host stops; what the run
/// queued before the host began stopping (its final status) is still sent.
/// </summary>
internal static class EventStream
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task Serve(HttpContext context, LiveRun live, IHostApplicationLifetime lifetime)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var reader = live.Subscribe(out var subscription);
        using (subscription)
        {
            try
            {
                await Write(response, new ServerEvent("status", LiveRun.Serialize(live.Status())), ends.Token).ConfigureAwait(false);
                while (!ends.IsCancellationRequested)
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(ends.Token);
                    wait.CancelAfter(KeepAlive);
                    try
                    {
                        if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)) break;
                    }
                    catch (OperationCanceledException) when (!ends.IsCancellationRequested)
                    {
                        await response.WriteAsync(": keep-alive\n\n", ends.Token).ConfigureAwait(false);
                        await response.Body.FlushAsync(ends.Token).ConfigureAwait(false);
                        continue;
                    }
                    // A message taken from the queue is written even when the host starts stopping meanwhile.
                    while (reader.TryRead(out var message)) await Write(response, message, context.RequestAborted).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // the client left or the host is stopping
            }
            catch (IOException)
            {
                return; // the connection broke
            }
            // The host stops because the run ended, and the run queued its final status before that: send what is left.
            try
            {
                while (!context.RequestAborted.IsCancellationRequested && reader.TryRead(out var last))
                    await Write(response, last, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // the client left meanwhile
            }
        }
    }

    private static async Task Write(HttpResponse response, ServerEvent message, CancellationToken token)
    {
        await response.WriteAsync($"event: {message.Name}\ndata: {message.Data}\n\n", token).ConfigureAwait(false);
        await response.Body.FlushAsync(token).ConfigureAwait(false);
    }
}
