using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Trainer.Agent.Platform;

/// <summary>
/// The agent's side of a Type=notify unit, as a hosted service. The messages go in this order:
/// <list type="number">
/// <item>READY=1 once, when the agent calls <see cref="Ready"/> (it can take work; systemd counts the unit as started);</item>
/// <item>STATUS=… whenever the agent calls <see cref="Status"/> (what it is doing, for <c>systemctl status</c>);</item>
/// <item>WATCHDOG=1 from READY on, every half of <see cref="SystemdNotifier.WatchdogInterval"/>, but only while the health
/// probe says the agent is not stalled: a stalled agent stops pinging and systemd restarts it after WatchdogSec=;</item>
/// <item>STOPPING=1 when the host begins to stop (<see cref="IHostApplicationLifetime.ApplicationStopping"/>); pings end.</item>
/// </list>
/// Without NOTIFY_SOCKET (a terminal, Windows) it sends nothing and costs nothing.
/// </summary>
/// <param name="notifier">Where the messages go.</param>
/// <param name="lifetime">The host's lifetime, whose stopping sends STOPPING=1.</param>
/// <param name="healthy">The agent's health probe: true while it is not stalled. An exception counts as stalled.</param>
/// <param name="logger">Where pauses and resumptions of the watchdog are reported.</param>
public sealed class ServiceNotifications(SystemdNotifier notifier, IHostApplicationLifetime lifetime, Func<bool> healthy, ILogger<ServiceNotifications>? logger = null)
    : BackgroundService
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger log = (ILogger?)logger ?? NullLogger.Instance;
    private readonly Lock gate = new();
    private CancellationTokenRegistration stopping;
    private bool stopped;

    /// <summary>Whether <see cref="Ready"/> was called.</summary>
    public bool IsReady => ready.Task.IsCompleted;

    /// <summary>Sends READY=1 (the first call only) and starts the watchdog pings. The agent calls it when it can take work.</summary>
    public void Ready()
    {
        if (ready.TrySetResult()) notifier.Ready();
    }

    /// <summary>Sends STATUS=<paramref name="text"/> (one line: line breaks become spaces).</summary>
    public void Status(string text) => notifier.Status(text);

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        stopping = lifetime.ApplicationStopping.Register(() =>
        {
            // Under the lock a ping cannot follow STOPPING=1.
            lock (gate)
            {
                stopped = true;
                notifier.Stopping();
            }
        });
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await stopping.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (notifier.WatchdogInterval is not { } timeout) return;
        try
        {
            await ready.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            // PeriodicTimer takes 1 ms to about 49 days; WATCHDOG_USEC may say less or more.
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp((timeout / 2).TotalMilliseconds, 1, int.MaxValue)));
            var wasHealthy = true;
            do
            {
                var isHealthy = Probe();
                if (isHealthy)
                {
                    lock (gate)
                    {
                        if (stopped) return;
                        notifier.Watchdog();
                    }
                }
                if (isHealthy != wasHealthy)
                {
                    if (isHealthy) PlatformLog.WatchdogResumed(log);
                    else PlatformLog.WatchdogPaused(log, timeout);
                    wasHealthy = isHealthy;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: STOPPING=1 went out with ApplicationStopping, and pings end here.
        }
    }

    private bool Probe()
    {
        try
        {
            return healthy();
        }
        catch (Exception e)
        {
            PlatformLog.ProbeFailed(log, e);
            return false;
        }
    }
}
