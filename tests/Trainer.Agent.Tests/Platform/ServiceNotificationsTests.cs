using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Trainer.Agent.Platform;

namespace Trainer.Agent.Tests.Platform;

[TestFixture]
public sealed class ServiceNotificationsTests
{
    private static readonly TimeSpan FastWatchdog = TimeSpan.FromMilliseconds(100);

    [Test]
    public async Task MessagesArriveInTheDocumentedOrderThroughAHost()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Address, FastWatchdog);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(s => new ServiceNotifications(notifier, s.GetRequiredService<IHostApplicationLifetime>(), () => true));
        builder.Services.AddHostedService(s => s.GetRequiredService<ServiceNotifications>());
        using var host = builder.Build();
        await host.StartAsync();
        var notifications = host.Services.GetRequiredService<ServiceNotifications>();

        notifications.Status("opening the queue");
        Assert.That(socket.Receive(), Is.EqualTo("STATUS=opening the queue"));
        Assert.That(notifications.IsReady, Is.False);
        notifications.Ready();
        notifications.Ready();
        notifications.Status("idle, 0 of 2 slots busy");
        var running = socket.ReceiveUntil(m => m == "STATUS=idle, 0 of 2 slots busy");
        running.AddRange(socket.ReceiveUntil(m => m == "WATCHDOG=1"));
        await host.StopAsync();
        var stopping = socket.ReceiveUntil(m => m == "STOPPING=1");

        Assert.That(notifications.IsReady, Is.True);
        Assert.That(running[0], Is.EqualTo("READY=1"), "no watchdog ping before READY");
        Assert.That(running.Count(m => m == "READY=1"), Is.EqualTo(1), "READY once");
        Assert.That(running.Skip(1), Is.All.EqualTo("WATCHDOG=1").Or.EqualTo("STATUS=idle, 0 of 2 slots busy"));
        Assert.That(stopping.SkipLast(1), Is.All.EqualTo("WATCHDOG=1"));
        Assert.That(socket.Receive(TimeSpan.FromMilliseconds(300)), Is.Null, "nothing after STOPPING");
    }

    [Test]
    public async Task WatchdogPingsPauseWhileTheProbeSaysStalledAndResume()
    {
        using var socket = NotifySocket.InAbstractNamespace();
        using var notifier = new SystemdNotifier(socket.Address, FastWatchdog);
        using var lifetime = new FakeLifetime();
        var healthy = true;
        var stalledProbes = 0;
        var logger = new CollectingLogger<ServiceNotifications>();
        using var notifications = new ServiceNotifications(notifier, lifetime, () =>
        {
            if (Volatile.Read(ref healthy)) return true;
            Interlocked.Increment(ref stalledProbes);
            return false;
        }, logger);
        await notifications.StartAsync(CancellationToken.None);
        notifications.Ready();
        socket.ReceiveUntil(m => m == "WATCHDOG=1");

        Volatile.Write(ref healthy, false);
        WaitFor(() => Volatile.Read(ref stalledProbes) >= 2);
        socket.Drain(); // pings sent before the probe turned; each send is in the socket before the next probe
        var seen = Volatile.Read(ref stalledProbes);
        WaitFor(() => Volatile.Read(ref stalledProbes) >= seen + 3);
        Assert.That(socket.HasPending, Is.False, "no pings while stalled");

        Volatile.Write(ref healthy, true);
        Assert.That(socket.Receive(), Is.EqualTo("WATCHDOG=1"), "pings resume");
        await notifications.StopAsync(CancellationToken.None);

        Assert.That(logger.Entries.Select(e => e.Message), Has.Some.StartsWith("Watchdog pings paused").And.Some.StartsWith("Watchdog pings resumed"));
    }

    [Test]
    public async Task AProbeThatThrowsCountsAsStalled()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Address, FastWatchdog);
        using var lifetime = new FakeLifetime();
        var probes = 0;
        var logger = new CollectingLogger<ServiceNotifications>();
        using var notifications = new ServiceNotifications(notifier, lifetime, () =>
        {
            Interlocked.Increment(ref probes);
            throw new InvalidOperationException("probe broke");
        }, logger);
        await notifications.StartAsync(CancellationToken.None);
        notifications.Ready();
        Assert.That(socket.Receive(), Is.EqualTo("READY=1"));

        WaitFor(() => Volatile.Read(ref probes) >= 3);
        await notifications.StopAsync(CancellationToken.None);

        Assert.That(socket.HasPending, Is.False, "no pings");
        Assert.That(logger.Entries.Select(e => e.Message), Has.Some.EqualTo("The agent's health probe failed; counted as stalled"));
    }

    [Test]
    public async Task StoppingTheApplicationSendsStopping()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Address);
        using var lifetime = new FakeLifetime();
        using var notifications = new ServiceNotifications(notifier, lifetime, () => true);
        await notifications.StartAsync(CancellationToken.None);

        lifetime.StopApplication();

        Assert.That(socket.Receive(), Is.EqualTo("STOPPING=1"));
        await notifications.StopAsync(CancellationToken.None);
    }

    [TestCase(0.001)]
    [TestCase(100 * 24 * 3600 * 1000.0)]
    public async Task AWatchdogTimeoutBeyondTheTimersRangeStillPings(double milliseconds)
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Address, TimeSpan.FromMilliseconds(milliseconds));
        using var lifetime = new FakeLifetime();
        using var notifications = new ServiceNotifications(notifier, lifetime, () => true);
        await notifications.StartAsync(CancellationToken.None);

        notifications.Ready();

        Assert.That(socket.ReceiveUntil(m => m == "WATCHDOG=1"), Has.Member("READY=1"));
        Assert.That(notifications.ExecuteTask!.IsFaulted, Is.False);
        await notifications.StopAsync(CancellationToken.None);
        Assert.That(notifications.ExecuteTask.IsFaulted, Is.False);
    }

    [Test]
    public async Task WithoutAWatchdogTheProbeIsNeverAsked()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Address, watchdogInterval: null);
        using var lifetime = new FakeLifetime();
        var probes = 0;
        using var notifications = new ServiceNotifications(notifier, lifetime, () => Interlocked.Increment(ref probes) > 0);
        await notifications.StartAsync(CancellationToken.None);

        notifications.Ready();
        Assert.That(socket.Receive(), Is.EqualTo("READY=1"));
        Assert.That(notifications.ExecuteTask, Is.Not.Null);
        await notifications.ExecuteTask!;
        await notifications.StopAsync(CancellationToken.None);

        Assert.That(probes, Is.Zero);
    }

    [Test]
    public async Task WithoutASocketTheServiceStartsAndStopsSendingNothing()
    {
        using var notifier = new SystemdNotifier(null, FastWatchdog);
        using var lifetime = new FakeLifetime();
        var probes = 0;
        using var notifications = new ServiceNotifications(notifier, lifetime, () => Interlocked.Increment(ref probes) > 0);

        await notifications.StartAsync(CancellationToken.None);
        notifications.Ready();
        notifications.Status("idle");
        await notifications.ExecuteTask!;
        lifetime.StopApplication();
        await notifications.StopAsync(CancellationToken.None);

        Assert.That(notifier.WatchdogInterval, Is.Null);
        Assert.That(probes, Is.Zero);
        Assert.That(notifications.ExecuteTask.IsCompletedSuccessfully, Is.True, "no watchdog: nothing to run");
    }

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("The condition did not hold within 10 s.");
            Thread.Sleep(5);
        }
    }
}
