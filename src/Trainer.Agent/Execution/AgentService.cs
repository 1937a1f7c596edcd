using Microsoft.Extensions.Hosting;

namespace Trainer.Agent.Execution;

/// <summary>
/// The agent as a Generic Host service: runs the <see cref="TrainingAgent"/> until the host stops (SIGTERM, Ctrl+C, a
/// service stop), and stops the host when the agent ends by itself (its run limit, or an empty queue when asked to exit then).
/// </summary>
public sealed class AgentService(TrainingAgent agent, IHostApplicationLifetime lifetime) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await agent.RunAsync(stoppingToken).ConfigureAwait(false);
        lifetime.StopApplication();
    }
}
