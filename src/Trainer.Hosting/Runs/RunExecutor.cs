using Microsoft.Extensions.Logging;
using Trainer.Callbacks;
using Trainer.Control;
using Trainer.Hosting.Features;
using Trainer.Hosting.Platform;
using Trainer.Recipes;
using Trainer.Runs;
using Trainer.Training;

namespace Trainer.Hosting.Runs;

/// <summary>
/// The one component that trains a prepared run, whoever started it (<c>trainer run</c>'s hosted service, an embedding
/// application, a search's trial, an experiment's variant): trains on a dedicated thread until the run ends or is asked
/// to stop after the current batch, draws its plots when a plotter is given, writes summary.json, logs the outcome and
/// says the exit code. A failure of the run is a result, never an exception.
/// </summary>
/// <param name="logger">The run's logging.</param>
/// <param name="plotter">Draws the run's plots; null: none.</param>
public sealed class RunExecutor(ILogger logger, IRunPlotter? plotter = null)
{
    /// <summary>
    /// Trains <paramref name="run"/> until it ends or <paramref name="stoppingToken"/> asks it to stop after the current
    /// batch; <paramref name="control"/> steers it while it trains (null: nothing does).
    /// </summary>
    public async Task<RunOutcome> ExecuteAsync(PreparedRun run, TrainingControl? control, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        // TorchSharp's thread settings apply per thread, and a long loop must not hold a thread-pool thread.
        return await Task.Factory.StartNew(() => Execute(run, control, stoppingToken), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
    }

    private RunOutcome Execute(PreparedRun run, TrainingControl? control, CancellationToken stoppingToken)
    {
        TrainingResult result;
        string? device = null;
        try
        {
            using var setup = TrainingSetup.Create(run.Recipe, run.Source.BaseDirectory, run.DataSources, run.Model, run.Tasks, resuming: run.Resume is not null);
            device = setup.Device.ToString();
            foreach (var note in setup.Data.Notes) HostingLog.DataNote(logger, note);
            if (setup.InitializedFrom is { } initialized) HostingLog.ModelInitialized(logger, initialized.Summary);
            if (!setup.Frozen.IsEmpty) HostingLog.ModelFrozen(logger, setup.Frozen.Summary(setup.Model.parameters().Count()));
            // Loading leaves the decompressed files and freed intermediates in the heaps: give them back before training.
            ProcessMemory.Release(keepWorkingSpace: true);
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

        var outcome = new RunOutcome { ExitCode = ExitCodeOf(result) };
        if (result.ResumeFailed)
        {
            // The failed attempt trained nothing: the run's summary and plots stay those of what it did before.
            Report(run, result);
            outcome.Summary = RunSummaryFile.TryRead(run.Run.Directory) ?? Summary(run, result, device);
            return outcome;
        }
        Plot(run, result);
        Report(run, result);
        outcome.Summary = Summary(run, result, device);
        RunSummaryFile.Write(run.Run.Directory, outcome.Summary);
        return outcome;
    }

    private void Plot(PreparedRun run, TrainingResult result)
    {
        if (plotter is null) return;
        try
        {
            plotter.PlotRun(run.Run.Directory, result.History);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or TypeInitializationException or DllNotFoundException)
        {
            HostingLog.PlotsFailed(logger, e.Message); // pictures are a convenience: the run's result stands without them
        }
    }

    private static RunSummary Summary(PreparedRun run, TrainingResult result, string? device) =>
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

    private void Report(PreparedRun run, TrainingResult result)
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
                var primary = Trainer.Tasks.TaskCatalog.PrimaryMetric(run.Recipe.Task);
                if (primary == "accuracy")
                    HostingLog.RunFinished(logger, ReasonCode.From(result.Status),
                        result.FinalMetrics.GetValueOrDefault(MetricNames.TestAccuracy, double.NaN),
                        result.FinalMetrics.GetValueOrDefault(MetricNames.TestLoss, double.NaN),
                        result.EpochsCompleted, result.DurationSeconds, run.Run.Directory);
                else
                    HostingLog.RunFinishedWithTaskMetric(logger, ReasonCode.From(result.Status), primary,
                        result.FinalMetrics.GetValueOrDefault($"{MetricNames.Test}_{primary}", double.NaN),
                        result.FinalMetrics.GetValueOrDefault(MetricNames.TestLoss, double.NaN),
                        result.EpochsCompleted, result.DurationSeconds, run.Run.Directory);
                break;
        }
    }
}
