using Microsoft.Extensions.Logging;
using Trainer.Agent.Platform;

namespace Trainer.Agent.Tests.Platform;

[TestFixture]
public sealed class SystemdNotifierTests
{
    [Test]
    public void SendsEachMessageToASocketAtAPath()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Address);

        Assert.That(notifier.IsEnabled, Is.True);
        Assert.That(notifier.Ready(), Is.True);
        Assert.That(notifier.Status("taking runs"), Is.True);
        Assert.That(notifier.Watchdog(), Is.True);
        Assert.That(notifier.Stopping(), Is.True);

        Assert.That(new[] { socket.Receive(), socket.Receive(), socket.Receive(), socket.Receive() },
            Is.EqualTo(new[] { "READY=1", "STATUS=taking runs", "WATCHDOG=1", "STOPPING=1" }));
    }

    [Test]
    public void SendsToASocketInTheAbstractNamespace()
    {
        using var socket = NotifySocket.InAbstractNamespace();
        using var notifier = new SystemdNotifier(socket.Address);

        Assert.That(socket.Address, Does.StartWith("@"));
        Assert.That(notifier.Ready(), Is.True);
        Assert.That(socket.Receive(), Is.EqualTo("READY=1"));
    }

    [Test]
    public void StatusIsOneLineAndSendPassesARawStateThrough()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Address);

        notifier.Status("run 3 of 5\nepoch 2\r\nloss 0.41");
        notifier.Send("READY=1\nSTATUS=ready");

        Assert.That(socket.Receive(), Is.EqualTo("STATUS=run 3 of 5 epoch 2 loss 0.41"));
        Assert.That(socket.Receive(), Is.EqualTo("READY=1\nSTATUS=ready"));
    }

    [Test]
    public void WithoutASocketEveryMethodDoesNothing()
    {
        using var notifier = new SystemdNotifier(null, TimeSpan.FromSeconds(10));

        Assert.That(notifier.IsEnabled, Is.False);
        Assert.That(notifier.SocketPath, Is.Null);
        Assert.That(notifier.WatchdogInterval, Is.Null, "no socket, no watchdog");
        Assert.That(new[] { notifier.Ready(), notifier.Status("x"), notifier.Watchdog(), notifier.Stopping(), notifier.Send("X=1") }, Is.All.False);
    }

    [Test]
    public void ARelativeSocketAddressTurnsNotificationsOffWithAWarning()
    {
        var logger = new CollectingLogger<SystemdNotifier>();
        using var notifier = new SystemdNotifier("relative/notify.sock", logger: logger);

        Assert.That(notifier.IsEnabled, Is.False);
        Assert.That(notifier.Ready(), Is.False);
        Assert.That(logger.Entries.Single().Message, Does.Contain("NOTIFY_SOCKET relative/notify.sock is unusable"));
    }

    [Test]
    public void AFailedSendReturnsFalseAndIsLoggedOnce()
    {
        var logger = new CollectingLogger<SystemdNotifier>();
        var missing = Path.Combine(Path.GetTempPath(), $"trainer-notify-missing-{Guid.NewGuid():N}.sock");
        using var notifier = new SystemdNotifier(missing, logger: logger);

        Assert.That(notifier.IsEnabled, Is.True);
        Assert.That(notifier.Ready(), Is.False);
        Assert.That(notifier.Watchdog(), Is.False);
        Assert.That(notifier.Stopping(), Is.False);

        Assert.That(logger.Entries, Has.Count.EqualTo(1));
        Assert.That(logger.Entries[0].Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(logger.Entries[0].Message, Does.Contain($"A systemd notification to {missing} failed"));
    }

    [Test]
    public void ASendFailureDoesNotStopLaterSendsOnceTheSocketIsThere()
    {
        var path = Path.Combine(Path.GetTempPath(), $"trainer-notify-late-{Guid.NewGuid():N}.sock");
        using var notifier = new SystemdNotifier(path);
        Assert.That(notifier.Ready(), Is.False);

        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, 0);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        try
        {
            Assert.That(notifier.Ready(), Is.True);
            var buffer = new byte[64];
            Assert.That(System.Text.Encoding.UTF8.GetString(buffer, 0, socket.Receive(buffer)), Is.EqualTo("READY=1"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void AfterDisposalNothingIsSent()
    {
        using var socket = NotifySocket.AtPath();
        var notifier = new SystemdNotifier(socket.Address);
        notifier.Dispose();

        Assert.That(notifier.Ready(), Is.False);
        Assert.That(socket.HasPending, Is.False);
    }

    [Test]
    public async Task SendsFromManyThreadsArriveWhole()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Address);
        const int threads = 8, each = 50;
        var received = new List<string>();
        var reader = Task.Run(() =>
        {
            while (received.Count < threads * each && socket.Receive() is { } message) received.Add(message);
        });

        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < each; i++) Assert.That(notifier.Status($"{t}/{i}"), Is.True);
        })));
        await reader;

        Assert.That(received, Is.EquivalentTo(
            Enumerable.Range(0, threads).SelectMany(t => Enumerable.Range(0, each).Select(i => $"STATUS={t}/{i}"))));
    }

    [TestCase("600000000", null, ExpectedResult = 600.0)]
    [TestCase("1500000", "self", ExpectedResult = 1.5)]
    [TestCase("1500000", "1", ExpectedResult = null)]
    [TestCase("1500000", "pid", ExpectedResult = null)]
    [TestCase("0", null, ExpectedResult = null)]
    [TestCase("-5", null, ExpectedResult = null)]
    [TestCase("ten", null, ExpectedResult = null)]
    [TestCase(null, null, ExpectedResult = null)]
    public double? ReadsTheWatchdogIntervalAsSdWatchdogEnabledDoes(string? usec, string? pid)
    {
        var self = Environment.ProcessId;
        var given = pid == "self" ? self.ToString(System.Globalization.CultureInfo.InvariantCulture) : pid == "1" ? (self == 1 ? "2" : "1") : pid;
        return SystemdNotifier.ParseWatchdogInterval(usec, given, self)?.TotalSeconds;
    }

    [Test]
    public void FromEnvironmentTakesTheSocketAndWatchdogOutOfTheEnvironment()
    {
        using var socket = NotifySocket.InAbstractNamespace();
        string[] names = [SystemdNotifier.NotifySocketVariable, SystemdNotifier.WatchdogUsecVariable, SystemdNotifier.WatchdogPidVariable];
        var saved = names.Select(Environment.GetEnvironmentVariable).ToArray();
        try
        {
            Environment.SetEnvironmentVariable(SystemdNotifier.NotifySocketVariable, socket.Address);
            Environment.SetEnvironmentVariable(SystemdNotifier.WatchdogUsecVariable, "30000000");
            Environment.SetEnvironmentVariable(SystemdNotifier.WatchdogPidVariable, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

            using var notifier = SystemdNotifier.FromEnvironment();

            Assert.That(notifier.SocketPath, Is.EqualTo(socket.Address));
            Assert.That(notifier.WatchdogInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(names.Select(Environment.GetEnvironmentVariable), Is.All.Null, "a run's own host must not notify systemd too");
            Assert.That(notifier.Ready(), Is.True);
            Assert.That(socket.Receive(), Is.EqualTo("READY=1"));
        }
        finally
        {
            for (var i = 0; i < names.Length; i++) Environment.SetEnvironmentVariable(names[i], saved[i]);
        }
    }
}
