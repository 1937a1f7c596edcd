using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Trainer.Tests.Support;

/// <summary>
/// A loopback TCP server that answers each connection with a fixed byte string (or nothing) and then holds the
/// connection open or closes it: for HTTP servers that misbehave.
/// </summary>
public sealed class RawTcpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    /// <param name="answer">Bytes sent after the request headers arrive; empty sends nothing.</param>
    /// <param name="close">Close the connection after the answer; otherwise hold it open until disposed.</param>
    public RawTcpServer(string answer, bool close)
    {
        listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/files/";
        loop = Task.Run(() => ServeAsync(Encoding.ASCII.GetBytes(answer), close));
    }

    public string Url { get; }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        stop.Dispose();
    }

    private async Task ServeAsync(byte[] answer, bool close)
    {
        while (!stop.IsCancellationRequested)
        {
            using var client = await listener.AcceptTcpClientAsync(stop.Token);
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, stop.Token);
                if (read == 0) break;
                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            if (answer.Length > 0) await stream.WriteAsync(answer, stop.Token);
            if (!close) await Task.Delay(Timeout.Infinite, stop.Token);
        }
    }
}
