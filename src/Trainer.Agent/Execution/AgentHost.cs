using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Trainer.Agent.Platform;
using Trainer.Agent.Queue;

namespace Trainer.Agent.Execution;

/// <summary>Builds the Generic Host of <c>trainer agent</c>: the agent service over a queue, logging through Serilog.</summary>
public static class AgentHost
{
    /// <summary>
    /// A host that runs a <see cref="TrainingAgent"/> over <paramref name="queue"/> until it is stopped (SIGTERM, Ctrl+C,
    /// a Windows service stop), telling systemd how it is doing when it runs under it. The host's shutdown waits long enough for
    /// a run to write its checkpoint.
    /// </summary>
    public static IHost Create(IRunQueue queue, AgentOptions options, TrainerCommand command, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Services.AddSerilog(logger, dispose: false);
        builder.Services.AddSingleton(queue);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(sp => new TrainingAgent(queue, options, command, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Trainer.Agent")));
        // systemd's notify protocol (READY when the agent can take work, STATUS, WATCHDOG while its loops tick, STOPPING);
        // registered before the agent so the notifier takes NOTIFY_SOCKET out of the environment before any run starts.
        builder.AddServiceNotifications(services => () => services.GetRequiredService<TrainingAgent>().IsHealthy);
        builder.Services.AddHostedService<AgentService>();
        builder.UseServiceLifetime(shutdownTimeout: options.StopTimeout + TimeSpan.FromSeconds(30));
        builder.Services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        return builder.Build();
    }
}
