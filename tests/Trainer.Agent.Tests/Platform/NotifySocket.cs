using System.Net.Sockets;
using System.Text;

namespace Trainer.Agent.Tests.Platform;

/// <summary>A Unix datagram socket bound for a test, standing in for systemd's notification socket.</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string? file;

    private NotifySocket(bool inAbstractNamespace)
    {
        var name = $"trainer-notify-{Guid.NewGuid():N}";
        if (inAbstractNamespace)
        {
            Address = "@" + name;
            socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
        }
        else
        {
            file = Path.Combine(Path.GetTempPath(), name + ".sock");
            Address = file;
            socket.Bind(new UnixDomainSocketEndPoint(file));
        }
    }

    /// <summary>A socket bound to a file under the temporary folder.</summary>
    public static NotifySocket AtPath() => new(inAbstractNamespace: false);

    /// <summary>A socket bound to a name in the abstract namespace.</summary>
    public static NotifySocket InAbstractNamespace() => new(inAbstractNamespace: true);

    /// <summary>The address in NOTIFY_SOCKET's form: a path, or '@' and the abstract name.</summary>
    public string Address { get; }

    /// <summary>Whether a datagram is waiting.</summary>
    public bool HasPending => socket.Available > 0;

    /// <summary>The next datagram, or null when none arrives within <paramref name="timeout"/> (default 10 s).</summary>
    public string? Receive(TimeSpan? timeout = null)
    {
        if (!socket.Poll(timeout ?? TimeSpan.FromSeconds(10), SelectMode.SelectRead)) return null;
        var buffer = new byte[4096];
        var length = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>Datagrams up to and including the first that <paramref name="last"/> accepts; fails the test after 10 s without it.</summary>
    public List<string> ReceiveUntil(Func<string, bool> last)
    {
        var received = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var message = Receive(deadline - DateTime.UtcNow);
            if (message is null) break;
            received.Add(message);
            if (last(message)) return received;
        }
        Assert.Fail($"The expected message did not arrive; received: {string.Join(" | ", received)}");
        return received;
    }

    /// <summary>Reads and drops every datagram waiting now.</summary>
    public void Drain()
    {
        while (HasPending) Receive(TimeSpan.Zero);
    }

    public void Dispose()
    {
        socket.Dispose();
        if (file is not null) File.Delete(file);
    }
}
