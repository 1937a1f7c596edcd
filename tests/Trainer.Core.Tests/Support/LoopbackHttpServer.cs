using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Trainer.Tests.Support;

/// <summary>Serves files from memory at <see cref="Url"/> on 127.0.0.1 (404 for anything else) and counts requests.</summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;

    public LoopbackHttpServer(IReadOnlyDictionary<string, byte[]> files)
    {
        Files = new ConcurrentDictionary<string, byte[]>(files);
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        Url = $"http://127.0.0.1:{port}/files/";
        loop = Task.Run(ServeAsync);
    }

    /// <summary>The base URL; a file is served at this URL followed by its name.</summary>
    public string Url { get; }

    /// <summary>What is served, by file name; may be changed while serving.</summary>
    public ConcurrentDictionary<string, byte[]> Files { get; }

    /// <summary>The paths requested, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var path = context.Request.Url!.AbsolutePath;
            Requests.Enqueue(path);
            try
            {
                if (path.StartsWith("/files/", StringComparison.Ordinal) && Files.TryGetValue(path["/files/".Length..], out var bytes))
                {
                    context.Response.ContentLength64 = bytes.Length;
                    await context.Response.OutputStream.WriteAsync(bytes);
                }
                else
                {
                    context.Response.StatusCode = 404;
                }
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client gave up (e.g. after reading more than it expected); nothing to do.
            }
        }
    }
}
