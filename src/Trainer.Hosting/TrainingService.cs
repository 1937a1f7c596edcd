using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trainer.Control;
using Trainer.Hosting.Runs;

namespace Trainer.Hosting;

/// <summary>
/// The hosted service of <c>trainer run</c>: once every service of the host has started, trains the prepared run with
/// <see cref="RunExecutor"/>, records its <see cref="RunOutcome"/> and stops the host. Host shutdown (Ctrl+C, SIGTERM,
/// service stop) ends training after the current batch.
/// </summary>
/// <param name="run">The run to train.</param>
/// <param name="outcome">Where the exit code and summary go.</param>
/// <param name="lifetime">Stopped when training ends.</param>
/// <param name="loggers">The run's logging.</param>
/// <param name="control">Steers the run while it trains (the live HTTP API); null when nothing does.</param>
public sealed class TrainingService(PreparedRun run, RunOutcome outcome, IHostApplicationLifetime lifetime, ILoggerFactory loggers,
    TrainingControl? control = null)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Train once every service of the host has started (a server of the run listens), never into a failed start.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                try
                {
                    await started.Task.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            var executor = new RunExecutor(loggers.CreateLogger("Trainer.Training"), run.Plotter);
            var result = await executor.ExecuteAsync(run, control, stoppingToken).ConfigureAwait(false);
            outcome.ExitCode = result.ExitCode;
            outcome.Summary = result.Summary;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
