using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Trainer.Agent.Platform;

namespace Trainer.Agent.Tests.Platform;

[TestFixture]
public sealed class AgentHostBuilderExtensionsTests
{
    [Test]
    public void OutsideAWindowsServiceTheHostKeepsTheConsoleLifetimeAndContentRoot()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Path.GetTempPath() });

        builder.UseServiceLifetime(TimeSpan.FromSeconds(100));
        using var host = builder.Build();

        Assert.That(host.Services.GetRequiredService<IHostLifetime>(), Is.InstanceOf<ConsoleLifetime>());
        Assert.That(host.Services.GetRequiredService<IHostEnvironment>().ContentRootPath, Is.SamePath(Path.GetTempPath()));
        Assert.That(host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(100)));
    }

    [Test]
    public void WithoutATimeoutTheHostsDefaultStays()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        builder.UseServiceLifetime();
        using var host = builder.Build();

        Assert.That(host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout, Is.EqualTo(new HostOptions().ShutdownTimeout));
    }

    [Test]
    public async Task ServiceNotificationsReachTheSocketInNotifySocket()
    {
        using var socket = NotifySocket.InAbstractNamespace();
        var saved = Environment.GetEnvironmentVariable(SystemdNotifier.NotifySocketVariable);
        try
        {
            Environment.SetEnvironmentVariable(SystemdNotifier.NotifySocketVariable, socket.Address);
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.AddServiceNotifications(_ => () => true);
            using var host = builder.Build();

            await host.StartAsync();
            host.Services.GetRequiredService<ServiceNotifications>().Ready();
            Assert.That(socket.Receive(), Is.EqualTo("READY=1"));
            Assert.That(Environment.GetEnvironmentVariable(SystemdNotifier.NotifySocketVariable), Is.Null);
            await host.StopAsync();

            Assert.That(socket.Receive(), Is.EqualTo("STOPPING=1"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SystemdNotifier.NotifySocketVariable, saved);
        }
    }
}
