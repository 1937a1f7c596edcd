using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Trainer.Callbacks;
using Trainer.Checkpoints;
using Trainer.Recipes;
using Trainer.Runs;
using static TorchSharp.torch;

namespace Trainer.Training;

/// <summary>
/// The training loop: epochs of shuffled mini-batches drawn by index from tensors already on the device, one
/// dispose scope per step, metrics accumulated on the device and read once per epoch, validation after every epoch,
/// the test split once at the end, and the callback hooks in between. It can start from a checkpoint and then
/// continues exactly as the interrupted run would have.
/// </summary>
public sealed partial class TrainingLoop
{
    private readonly TrainingSetup setup;
    private readonly CallbackPipeline pipeline;
    private readonly RunInfo run;
    private readonly ILogger logger;

    /// <summary>Creates the loop for one run.</summary>
    public TrainingLoop(TrainingSetup setup, CallbackPipeline pipeline, RunInfo run, ILogger logger)
    {
        this.setup = setup;
        this.pipeline = pipeline;
        this.run = run;
        this.logger = logger;
    }

    /// <summary>
    /// Trains to the end, a stop request, cancellation or a failure, writing metrics.csv to the run directory.
    /// Never throws for a failed run: the result carries the status and the exception.
    /// </summary>
    /// <param name="cancellationToken">Cancelled when the host shuts down; training stops after the current batch.</param>
    /// <param name="resume">A checkpoint to continue from, or null to start afresh.</param>
    public TrainingResult Run(CancellationToken cancellationToken, TrainingCheckpoint? resume = null)
    {
        var clock = Stopwatch.StartNew();
        // A stop command ends the run the way a shutdown does (after the batch, checkpoint, summary), with its own status.
        using var stopOrShutdown = Control is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Control.StopToken);
        using var state = new TrainingState(setup, pipeline, run, logger, stopOrShutdown?.Token ?? cancellationToken);
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = run.RunId });
        MetricsCsvWriter? csv = null;
        var epochContext = new EpochContext(state);
        var batchContext = new BatchContext(state);
        var status = RunStatus.Completed;
        string? failure = null;
        Exception? error = null;
        double trainedSamples = 0, trainingSeconds = 0;
        var resumeFailed = false;
        var final = new Dictionary<string, double>();

        try
        {
            var partial = resume?.Partial;
            if (resume is not null)
            {
                try
                {
                    Restore(state, resume);
                }
                catch (Exception e) when (e is not RecipeException and not OperationCanceledException)
                {
                    // A checkpoint whose files check out but whose tensors do not fit this model: nothing of the run is touched.
                    resumeFailed = true;
                    throw new RecipeException($"--resume: the checkpoint cannot be loaded into this run's model ({NativeErrors.Message(e)}); " +
                                              "resume with the recipe it was written with, or start a new run.");
                }
                catch (RecipeException)
                {
                    resumeFailed = true;
                    throw;
                }
            }
            // Opened only after a successful restore, so a failed resume leaves the run's metrics.csv as it was.
            csv = new MetricsCsvWriter(Path.Combine(run.Directory, RunFiles.Metrics));
            NormalizationFile.Write(run.Directory, setup.Data.Normalization);
            TaskFile.Write(run.Directory, setup.Task);
            if (setup.Data.Table is { } table) TableSchemaFile.Write(run.Directory, table);
            if (resume is not null)
            {
                foreach (var metrics in state.History) csv.Write(metrics);
                Log.Resumed(logger, resume.CompletedEpochs, resume.GlobalStep, partial?.NextBatch ?? 0, resume.Reason);
            }
            Log.TrainingStarted(logger, setup.Recipe.Name, setup.Device.ToString(), setup.Data.Train.Count,
                setup.Data.Validation?.Count ?? 0, setup.Data.Test.Count, get_num_threads());
            Log.DataLoading(logger, setup.Data.Loading);
            if (setup.Device.type == TorchSharp.DeviceType.CPU) Log.CpuKernels(logger, setup.CpuKernels);
            Log.OptimizerSelected(logger, setup.Recipe.Optimizer.Kind, setup.OptimizerChoice.Implementation.ToString().ToLowerInvariant(), setup.OptimizerChoice.Reason);
            pipeline.TrainStart(state, new TrainContext(state));
            Control?.Publish(state.History.Count, 0, state.GlobalStep);

            for (var epoch = state.History.Count + 1; epoch <= setup.Recipe.Training.Epochs && state.StopRequest is null; epoch++)
            {
                if (state.CancellationToken.IsCancellationRequested)
                {
                    status = Interruption(epoch, state.GlobalStep, cancellationToken);
                    break;
                }
                state.Epoch = epoch;
                state.EpochValues = new Dictionary<string, double>();
                state.EpochRecorded = false;
                var epochClock = Stopwatch.StartNew();
                pipeline.EpochStart(state, epochContext);

                var secondsBefore = partial?.TrainSeconds ?? 0; // a resumed epoch counts what it trained before the interruption
                var pausedBefore = Control?.PausedSeconds ?? 0;
                var pass = TrainEpoch(state, batchContext, partial);
                var paused = (Control?.PausedSeconds ?? 0) - pausedBefore; // time paused is not training time
                partial = null;
                if (pass.Interrupted)
                {
                    status = Interruption(epoch, state.GlobalStep, cancellationToken);
                    break;
                }
                if (pass.NonFiniteStep is { } badStep)
                {
                    status = RunStatus.Failed;
                    failure = $"The training loss became NaN or infinite at step {badStep} (epoch {epoch}); " +
                              "lower Optimizer:LearningRate, normalise the inputs (Data:Normalize) or check the data.";
                    break;
                }
                var trainSeconds = pass.TrainSeconds - paused;
                trainedSamples += pass.Samples;
                trainingSeconds += trainSeconds;

                var values = state.EpochValues;
                values[MetricNames.LearningRate] = pass.MeanLearningRate;
                values[MetricNames.TrainLoss] = pass.Loss;
                foreach (var (name, value) in pass.Metrics ?? new Dictionary<string, double>()) values[$"{MetricNames.Train}_{name}"] = value;
                if (setup.Data.Validation is { } validation)
                    foreach (var (name, value) in ModelEvaluator.Evaluate(setup.Model, validation, setup.Device, setup.Task).Named(MetricNames.Val))
                        values[name] = value;
                pipeline.ValidationEnd(state, epochContext);

                var metrics = new EpochMetrics(epoch, secondsBefore + epochClock.Elapsed.TotalSeconds - paused, pass.Samples / Math.Max(trainSeconds, 1e-9),
                    new Dictionary<string, double>(values));
                state.History.Add(metrics);
                state.EpochRecorded = true;
                csv.Write(metrics);
                Log.Epoch(logger, metrics, setup.Recipe.Training.Epochs);

                if (NonFiniteEpochFailure(setup.Recipe, metrics, state.GlobalStep) is { } nonFinite)
                {
                    status = RunStatus.Failed;
                    failure = nonFinite;
                    break;
                }
                pipeline.EpochEnd(state, epochContext);
            }

            if (status == RunStatus.Completed && state.StopRequest is not null) status = RunStatus.StoppedEarly;
            pipeline.TrainEnd(state, new TrainEndContext(state, status));

            if (state.History.Count > 0)
            {
                // The last epoch's validation metrics keep their own names; val_* are those of the weights tested.
                var last = state.History[^1];
                foreach (var (name, v) in last.Values.Where(p => p.Key.StartsWith(MetricNames.Val + "_", StringComparison.Ordinal)))
                    final[name] = final[MetricNames.Last(name)] = v;
            }
            if (status is RunStatus.Completed or RunStatus.StoppedEarly)
            {
                if (state.TestedWeights is not null && setup.Data.Validation is { } validation)
                    foreach (var (name, value) in ModelEvaluator.Evaluate(setup.Model, validation, setup.Device, setup.Task).Named(MetricNames.Val))
                        final[name] = value;
                var testResult = ModelEvaluator.Evaluate(setup.Model, setup.Data.Test, setup.Device, setup.Task);
                foreach (var (name, value) in testResult.Named(MetricNames.Test)) final[name] = value;
                Log.Tested(logger, testResult.Loss, MetricNames.Describe(testResult.Metrics), setup.Data.Test.Count);
            }
            if (state.History.Count > 0 && status != RunStatus.Failed) WritePackage(state, status, final);
        }
        catch (Exception e)
        {
            status = RunStatus.Failed;
            error = e;
            failure = NativeErrors.Message(e);
            pipeline.Exception(state, new ExceptionContext(state, e));
        }
        finally
        {
            csv?.Dispose();
            Control?.End();
        }

        return new TrainingResult
        {
            Status = status,
            EpochsCompleted = state.History.Count,
            BestEpoch = state.BestEpoch ?? BestEpoch(state.History),
            StopRequest = state.StopRequest,
            FailureMessage = failure,
            Exception = error,
            History = state.History.ToList(),
            FinalMetrics = final,
            TestedWeights = state.TestedWeights?.Description ?? (state.History.Count > 0 ? $"last epoch {state.History[^1].Epoch}" : null),
            TestedEpoch = state.TestedWeights is { } tested ? tested.Epoch : state.History.Count > 0 ? state.History[^1].Epoch : null,
            SamplesPerSecond = trainedSamples / Math.Max(trainingSeconds, 1e-9),
            HostReads = state.HostReads,
            ResumeFailed = resumeFailed,
            DurationSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// Writes the model package (<c>RUN_DIR/model</c>) of the weights the run leaves: those tested (restored or averaged by a
    /// callback), else the last. A failure to write it is logged and does not change how the run ended.
    /// </summary>
    private void WritePackage(TrainingState state, RunStatus status, IReadOnlyDictionary<string, double> final)
    {
        var directory = Path.Combine(run.Directory, RunFiles.Model);
        var last = state.History[^1].Epoch;
        var (description, epoch) = state.TestedWeights is { } tested ? (tested.Description, tested.Epoch)
            : status is RunStatus.Interrupted or RunStatus.Stopped && state.Epoch > last ? ($"after epoch {last} and part of epoch {state.Epoch} ({Callbacks.ReasonCode.From(status)})", (int?)last)
            : ($"last epoch {last}", last);
        try
        {
            var manifest = Inference.ModelPackage.Write(directory, setup.Model, setup.Recipe, setup.Data.Train.FeatureShape, setup.Task, setup.Data.Normalization,
                setup.Data.Table, setup.CustomModel, new Inference.PackageFacts(run.RunId, run.RecipeJson ?? RecipeSections(setup.Recipe), Callbacks.ReasonCode.From(status),
                    final, description, epoch));
            Log.ModelPackaged(logger, directory, description, manifest.Weights.Sha256);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ExternalException or InvalidOperationException)
        {
            Log.ModelPackageFailed(logger, directory, NativeErrors.Message(e));
        }
    }

    /// <summary>The recipe sections a model package needs, for a run started without its resolved recipe's JSON.</summary>
    private static string RecipeSections(RecipeOptions recipe) => System.Text.Json.JsonSerializer.Serialize(new
    {
        recipe.Name, recipe.Data, recipe.Model, recipe.Task,
    });

    /// <summary>How a run that was cancelled ends: stopped when a control command asked, else interrupted by the host.</summary>
    private RunStatus Interruption(int epoch, long step, CancellationToken shutdown)
    {
        if (Control is { StopApplied: true } && !shutdown.IsCancellationRequested)
        {
            Log.StopRequested(logger, epoch, step);
            return RunStatus.Stopped;
        }
        Log.ShutdownRequested(logger, epoch, step);
        return RunStatus.Interrupted;
    }

    /// <summary>
    /// Why a recorded epoch fails the run: its train_loss or val_loss is NaN or infinite and the recipe says to stop then
    /// (<c>Training:TerminateOnNonFinite</c>); null otherwise. Shared with Trainer.Testing's harness, which applies the same rule.
    /// </summary>
    internal static string? NonFiniteEpochFailure(RecipeOptions recipe, EpochMetrics metrics, long globalStep) =>
        recipe.Training.TerminateOnNonFinite &&
        new[] { MetricNames.TrainLoss, MetricNames.ValLoss }.FirstOrDefault(name => metrics[name] is { } v && !double.IsFinite(v)) is { } lossName
            ? $"The {lossName} became {metrics[lossName]} in epoch {metrics.Epoch} (after step {globalStep}); " +
              "lower Optimizer:LearningRate, normalise the inputs (Data:Normalize) or check the data."
            : null;

    private static int? BestEpoch(IReadOnlyList<EpochMetrics> history)
    {
        var monitor = history.Count > 0 && history[0][MetricNames.ValLoss] is not null ? MetricNames.ValLoss : MetricNames.TrainLoss;
        return history.Where(m => m[monitor] is { } v && double.IsFinite(v)).MinBy(m => m[monitor])?.Epoch;
    }
}
