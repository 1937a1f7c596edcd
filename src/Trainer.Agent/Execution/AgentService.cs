using Microsoft.Extensions.Hosting;
using Trainer.Agent.Platform;

namespace Trainer.Agent.Execution;

/// <summary>
/// The agent as a Generic Host service: runs the <see cref="TrainingAgent"/> until the host stops (SIGTERM, Ctrl+C, a
/// service stop), and stops the host when the agent ends by itself (its run limit, or an empty queue when asked to exit then).
/// Tells the service manager READY=1 once the agent can take work and, every heartbeat, STATUS= with what each slot does.
/// </summary>
public sealed class AgentService(TrainingAgent agent, ServiceNotifications notifications, AgentOptions options, IHostApplicationLifetime lifetime)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = agent.RunAsync(stoppingToken);
        await Task.WhenAny(agent.Ready, running).ConfigureAwait(false);
        if (agent.Ready.IsCompleted)
        {
            notifications.Ready();
            var last = "";
            while (!running.IsCompleted && !stoppingToken.IsCancellationRequested)
            {
                if (agent.Status != last) notifications.Status(last = agent.Status);
                await ((Task)Task.WhenAny(running, Task.Delay(options.HeartbeatInterval, stoppingToken))).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        await running.ConfigureAwait(false);
        lifetime.StopApplication();
    }
}
