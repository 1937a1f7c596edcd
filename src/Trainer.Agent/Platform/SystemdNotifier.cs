using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Trainer.Agent.Platform;

/// <summary>
/// Sends sd_notify(3) messages (READY=1, STATUS=…, WATCHDOG=1, STOPPING=1) as datagrams to the Unix socket that
/// systemd names in <c>NOTIFY_SOCKET</c>: a path, or a name in the abstract namespace when it starts with '@'. Unlike
/// Microsoft.Extensions.Hosting.Systemd's notifier it works whenever the socket is given, as sd_notify does, not only when
/// the parent process is systemd. Without a socket every method does nothing. Thread-safe; never throws into the caller:
/// a failed send returns false and is logged once.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    /// <summary>The variable that names the notification socket.</summary>
    public const string NotifySocketVariable = "NOTIFY_SOCKET";

    /// <summary>The variable that holds the watchdog timeout in microseconds.</summary>
    public const string WatchdogUsecVariable = "WATCHDOG_USEC";

    /// <summary>The variable that names the process the watchdog timeout is meant for.</summary>
    public const string WatchdogPidVariable = "WATCHDOG_PID";

    private readonly Lock gate = new();
    private readonly UnixDomainSocketEndPoint? endPoint;
    private readonly ILogger logger;
    private Socket? socket;
    private bool disposed;
    private int failureLogged;

    /// <summary>Creates a notifier for <paramref name="notifySocket"/> (null or empty: a notifier that does nothing).</summary>
    /// <param name="notifySocket">An absolute socket path, or '@' and a name in the abstract namespace (NOTIFY_SOCKET's forms).</param>
    /// <param name="watchdogInterval">The watchdog timeout systemd expects pings within (null: no watchdog).</param>
    /// <param name="logger">Where the first failed send (or an unusable socket address) is reported.</param>
    public SystemdNotifier(string? notifySocket, TimeSpan? watchdogInterval = null, ILogger? logger = null)
    {
        this.logger = logger ?? NullLogger.Instance;
        if (string.IsNullOrEmpty(notifySocket)) return;
        if (notifySocket[0] is not ('/' or '@'))
        {
            // sd_notify also refuses it (EINVAL); newer systemd's vsock: addresses are not supported here.
            PlatformLog.NotifySocketUnusable(this.logger, notifySocket, "it is neither an absolute path nor '@' and an abstract name");
            return;
        }
        try
        {
            endPoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
            SocketPath = notifySocket;
            WatchdogInterval = watchdogInterval is { } interval && interval > TimeSpan.Zero ? interval : null;
        }
        catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException)
        {
            PlatformLog.NotifySocketUnusable(this.logger, notifySocket, e.Message);
        }
    }

    /// <summary>
    /// A notifier for this process's <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c>. With
    /// <paramref name="unsetEnvironment"/> (default) it removes them from the environment, as sd_notify's unset_environment
    /// does, so that nothing else in the process (a run's own host with Microsoft's systemd lifetime) or started by it
    /// tells systemd READY or STOPPING on the agent's behalf.
    /// </summary>
    public static SystemdNotifier FromEnvironment(ILogger? logger = null, bool unsetEnvironment = true)
    {
        var socketPath = Environment.GetEnvironmentVariable(NotifySocketVariable);
        var watchdog = ParseWatchdogInterval(
            Environment.GetEnvironmentVariable(WatchdogUsecVariable), Environment.GetEnvironmentVariable(WatchdogPidVariable), Environment.ProcessId);
        if (unsetEnvironment)
        {
            Environment.SetEnvironmentVariable(NotifySocketVariable, null);
            Environment.SetEnvironmentVariable(WatchdogUsecVariable, null);
            Environment.SetEnvironmentVariable(WatchdogPidVariable, null);
        }
        return new SystemdNotifier(socketPath, watchdog, logger);
    }

    /// <summary>
    /// The watchdog timeout that <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c> give process <paramref name="processId"/>, as
    /// sd_watchdog_enabled(3) reads them: null when the timeout is missing, zero or not a number, or when the pid is given
    /// and is not <paramref name="processId"/> (the watchdog is meant for another process).
    /// </summary>
    public static TimeSpan? ParseWatchdogInterval(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec == 0) return null;
        if (usec > (ulong)(TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond)) return null;
        if (watchdogPid is not null
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != processId)) return null;
        return TimeSpan.FromMicroseconds((long)usec);
    }

    /// <summary>The socket address messages go to, as given ('@' for the abstract namespace); null when notifications are off.</summary>
    public string? SocketPath { get; }

    /// <summary>Whether messages are sent (a usable socket address was given).</summary>
    public bool IsEnabled => endPoint is not null;

    /// <summary>The watchdog timeout systemd expects a WATCHDOG=1 within; null when there is no watchdog (or no socket).</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>Tells systemd the service is ready (READY=1): a Type=notify unit counts as started from here on.</summary>
    public bool Ready() => Send("READY=1");

    /// <summary>Tells systemd the service is stopping (STOPPING=1).</summary>
    public bool Stopping() => Send("STOPPING=1");

    /// <summary>Pings the watchdog (WATCHDOG=1).</summary>
    public bool Watchdog() => Send("WATCHDOG=1");

    /// <summary>Sets the status line <c>systemctl status</c> shows (STATUS=…); line breaks become spaces.</summary>
    public bool Status(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Send("STATUS=" + text.ReplaceLineEndings(" "));
    }

    /// <summary>
    /// Sends <paramref name="state"/> as it is: one or more newline-separated assignments (sd_notify's state string).
    /// Returns whether the datagram was sent; false when notifications are off, after disposal, or when the send failed.
    /// </summary>
    public bool Send(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (endPoint is null || state.Length == 0) return false;
        var datagram = Encoding.UTF8.GetBytes(state);
        lock (gate)
        {
            if (disposed) return false;
            try
            {
                // A full receive queue would block the sender; systemd reads at once, so a stall here means trouble.
                socket ??= new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { SendTimeout = 5000 };
                socket.SendTo(datagram, SocketFlags.None, endPoint);
                return true;
            }
            catch (Exception e)
            {
                socket?.Dispose();
                socket = null;
                if (Interlocked.Exchange(ref failureLogged, 1) == 0) PlatformLog.NotifyFailed(logger, SocketPath!, e.Message, e);
                return false;
            }
        }
    }

    /// <summary>Closes the socket; later messages are not sent.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            socket?.Dispose();
            socket = null;
        }
    }
}
