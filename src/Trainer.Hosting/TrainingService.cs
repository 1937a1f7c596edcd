using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trainer.Callbacks;
using Trainer.Control;
using Trainer.Hosting.Runs;
using Trainer.Recipes;
using Trainer.Runs;
using Trainer.Training;

namespace Trainer.Hosting;

/// <summary>
/// The hosted service that trains one prepared run on a dedicated thread, writes summary.json, records the exit
/// code and stops the host. Host shutdown (Ctrl+C, SIGTERM, service stop) ends training after the current batch.
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
    private readonly ILogger logger = loggers.CreateLogger("Trainer.Training");

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
            await TrainAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    /// <summary>
    /// Trains the run on a dedicated thread until it ends or <paramref name="stoppingToken"/> asks it to stop after the
    /// current batch; writes summary.json and fills in the <see cref="RunOutcome"/>. Does not stop the host.
    /// </summary>
    public async Task<RunSummary> TrainAsync(CancellationToken stoppingToken)
    {
        // TorchSharp's thread settings apply per thread, and a long loop must not hold a thread-pool thread.
        var summary = await Task.Factory.StartNew(() => Train(stoppingToken), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        outcome.Summary = summary;
        return summary;
    }

    private RunSummary Train(CancellationToken stoppingToken)
    {
        TrainingResult result;
        string? device = null;
        try
        {
            using var setup = TrainingSetup.Create(run.Recipe, run.Source.BaseDirectory, customModel: run.Model);
            device = setup.Device.ToString();
            // Loading leaves the decompressed files and freed intermediates in the heaps: give them back before training.
            TrainerApplication.ReleaseMemory(keepWorkingSpace: true);
            using var pipeline = new CallbackPipeline(run.Callbacks);
            var loop = new TrainingLoop(setup, pipeline, run.Run, logger) { Control = control };
            foreach (var damaged in run.DamagedCheckpoints) HostingLog.DamagedCheckpoint(logger, damaged);
            foreach (var note in run.ResumeNotes) HostingLog.ResumeNote(logger, note);
            result = loop.Run(stoppingToken, run.Resume);
        }
        catch (Exception e)
        {
            result = new TrainingResult
            {
                Status = RunStatus.Failed, EpochsCompleted = 0, History = [], FinalMetrics = new Dictionary<string, double>(),
                FailureMessage = NativeErrors.Message(e), Exception = e,
            };
        }

        outcome.ExitCode = ExitCodeOf(result);
        if (result.ResumeFailed)
        {
            // The failed attempt trained nothing: the run's summary and plots stay those of what it did before.
            Report(result);
            return RunSummaryFile.TryRead(run.Run.Directory) ?? Summary(result, device);
        }
        try
        {
            RunPlots.Write(run.Run.Directory, result.History);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or TypeInitializationException or DllNotFoundException)
        {
            HostingLog.PlotsFailed(logger, e.Message); // pictures are a convenience: the run's result stands without them
        }
        Report(result);
        var summary = Summary(result, device);
        RunSummaryFile.Write(run.Run.Directory, summary);
        return summary;
    }

    private RunSummary Summary(TrainingResult result, string? device) =>
        new()
        {
            Recipe = run.Recipe.Name,
            RunId = run.Run.RunId,
            Status = ReasonCode.From(result.Status),
            Epochs = result.EpochsCompleted,
            BestEpoch = result.BestEpoch,
            StopReason = result.StopRequest?.Reason,
            StopMessage = result.StopRequest?.Message,
            Error = result.FailureMessage,
            Metrics = result.FinalMetrics,
            TestedWeights = result.TestedWeights,
            TestedEpoch = result.TestedEpoch,
            Device = device,
            StartedAt = run.StartedAt,
            DurationSeconds = (DateTimeOffset.UtcNow - run.StartedAt).TotalSeconds,
            SamplesPerSecond = result.SamplesPerSecond,
        };

    private static int ExitCodeOf(TrainingResult result) => result.Status switch
    {
        RunStatus.Completed or RunStatus.StoppedEarly or RunStatus.Stopped => ExitCodes.Completed,
        RunStatus.Interrupted => ExitCodes.Interrupted,
        _ when result.Exception is RecipeException => ExitCodes.InvalidInput,
        _ when result.Exception is { } e && NativeErrors.IsOutOfMemory(e) => ExitCodes.InvalidInput, // a recipe too large for the machine
        _ => ExitCodes.Failed,
    };

    private void Report(TrainingResult result)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = run.Run.RunId });
        switch (result.Status)
        {
            case RunStatus.Failed when result.Exception is RecipeException or null:
                HostingLog.RunFailed(logger, result.FailureMessage ?? "unknown error");
                break;
            case RunStatus.Failed:
                HostingLog.RunCrashed(logger, result.Exception, result.FailureMessage ?? "", Path.Combine(run.Run.Directory, RunFiles.Log));
                break;
            case RunStatus.Interrupted:
                HostingLog.RunInterrupted(logger, result.EpochsCompleted, run.Run.Directory);
                break;
            case RunStatus.Stopped:
                HostingLog.RunStopped(logger, result.EpochsCompleted, run.Run.Directory);
                break;
            default:
                if (result.StopRequest is { } stop)
                    HostingLog.StoppedEarly(logger, stop.Source, stop.Reason, stop.Message, result.EpochsCompleted);
                HostingLog.RunFinished(logger, ReasonCode.From(result.Status),
                    result.FinalMetrics.GetValueOrDefault(MetricNames.TestAccuracy, double.NaN),
                    result.FinalMetrics.GetValueOrDefault(MetricNames.TestLoss, double.NaN),
                    result.EpochsCompleted, result.DurationSeconds, run.Run.Directory);
                break;
        }
    }
}
