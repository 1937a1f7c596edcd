using Microsoft.Extensions.Logging;

namespace Trainer.Training;

/// <summary>The training loop's log events, with named properties for structured sinks.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information,
        "Training {Recipe} on {Device}: {TrainCount} training, {ValidationCount} validation, {TestCount} test examples, {Threads} threads")]
    public static partial void TrainingStarted(ILogger logger, string recipe, string device, long trainCount, long validationCount, long testCount, int threads);

    [LoggerMessage(2, LogLevel.Information,
        "Epoch {Epoch}/{Epochs} train_loss={TrainLoss:0.0000} train_acc={TrainAccuracy:0.0000} val_loss={ValLoss:0.0000} " +
        "val_acc={ValAccuracy:0.0000} lr={LearningRate:G4} {SamplesPerSecond:0} samples/s {EpochSeconds:0.00}s")]
    private static partial void EpochWithValidation(ILogger logger, int epoch, int epochs, double trainLoss, double trainAccuracy,
        double valLoss, double valAccuracy, double learningRate, double samplesPerSecond, double epochSeconds);

    [LoggerMessage(3, LogLevel.Information,
        "Epoch {Epoch}/{Epochs} train_loss={TrainLoss:0.0000} train_acc={TrainAccuracy:0.0000} lr={LearningRate:G4} {SamplesPerSecond:0} samples/s {EpochSeconds:0.00}s")]
    private static partial void EpochWithoutValidation(ILogger logger, int epoch, int epochs, double trainLoss, double trainAccuracy,
        double learningRate, double samplesPerSecond, double epochSeconds);

    [LoggerMessage(4, LogLevel.Information, "Test: loss={TestLoss:0.0000} {TestMetrics} on {TestCount} examples")]
    public static partial void Tested(ILogger logger, double testLoss, string testMetrics, long testCount);

    [LoggerMessage(EventId = 14, EventName = "EpochOfTask", Level = LogLevel.Information,
        Message = "Epoch {Epoch}/{Epochs} train_loss={TrainLoss:0.0000} {EpochMetrics} lr={LearningRate:G4} {SamplesPerSecond:0} samples/s {EpochSeconds:0.00}s")]
    private static partial void EpochOfTask(ILogger logger, int epoch, int epochs, double trainLoss, string epochMetrics, double learningRate,
        double samplesPerSecond, double epochSeconds);

    [LoggerMessage(13, LogLevel.Information, "Optimizer {Optimizer}: {Implementation} step ({OptimizerReason})")]
    public static partial void OptimizerSelected(ILogger logger, string optimizer, string implementation, string optimizerReason);

    [LoggerMessage(6, LogLevel.Warning,
        "Shutdown requested (Ctrl+C, SIGTERM or service stop) in epoch {Epoch}: stopped after step {GlobalStep}; the unfinished epoch is not recorded")]
    public static partial void ShutdownRequested(ILogger logger, int epoch, long globalStep);

    [LoggerMessage(7, LogLevel.Information,
        "Resuming after {CompletedEpochs} epochs and {GlobalStep} steps (next batch {NextBatch}) from a checkpoint written for {CheckpointReason}")]
    public static partial void Resumed(ILogger logger, int completedEpochs, long globalStep, int nextBatch, string checkpointReason);

    [LoggerMessage(EventId = 1400, EventName = "DataLoading", Level = LogLevel.Information, Message = "Data path: {DataLoading}")]
    public static partial void DataLoading(ILogger logger, string dataLoading);

    [LoggerMessage(EventId = 12, EventName = "CpuKernels", Level = LogLevel.Information, Message = "CPU convolution kernels: {CpuKernels}")]
    public static partial void CpuKernels(ILogger logger, string cpuKernels);

    [LoggerMessage(EventId = 8, EventName = "ControlApplied", Level = LogLevel.Information,
        Message = "Control {Action} from {ControlSource} applied in epoch {Epoch} before step {GlobalStep}: {Field} {OldValue} -> {NewValue}")]
    public static partial void ControlApplied(ILogger logger, string action, string field, object? oldValue, object? newValue, string controlSource, int epoch, long globalStep);

    [LoggerMessage(EventId = 9, EventName = "ControlRefused", Level = LogLevel.Warning, Message = "Control {Action} from {ControlSource} not applied: {Reason}")]
    public static partial void ControlRefused(ILogger logger, string action, string controlSource, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Base learning rate of the schedules {OldBaseLearningRate:G6} -> {BaseLearningRate:G6}")]
    public static partial void BaseLearningRate(ILogger logger, double oldBaseLearningRate, double baseLearningRate);

    [LoggerMessage(EventId = 11, EventName = "StopRequested", Level = LogLevel.Warning,
        Message = "Stop requested through the control channel in epoch {Epoch}: stopped after step {GlobalStep}; the unfinished epoch is not recorded")]
    public static partial void StopRequested(ILogger logger, int epoch, long globalStep);

    [LoggerMessage(5, LogLevel.Information, "Epoch {Epoch} metrics {Metrics}")]
    private static partial void ExtraMetrics(ILogger logger, int epoch, IReadOnlyDictionary<string, double> metrics);

    public static void Epoch(ILogger logger, EpochMetrics m, int epochs)
    {
        double V(string name) => m[name] ?? double.NaN;
        if (m[MetricNames.TrainAccuracy] is null)
        {
            // A task without accuracy (regression, multilabel, …): its metrics in the line, the loss first.
            var metrics = m.Values.Where(p => p.Key is not (MetricNames.LearningRate or MetricNames.TrainLoss))
                .OrderBy(p => p.Key.StartsWith(MetricNames.Train, StringComparison.Ordinal) ? 0 : 1).ToDictionary(p => p.Key, p => p.Value);
            EpochOfTask(logger, m.Epoch, epochs, V(MetricNames.TrainLoss), MetricNames.Describe(metrics), V(MetricNames.LearningRate), m.SamplesPerSecond,
                m.Seconds);
            return;
        }
        if (m[MetricNames.ValLoss] is not null)
            EpochWithValidation(logger, m.Epoch, epochs, V(MetricNames.TrainLoss), V(MetricNames.TrainAccuracy), V(MetricNames.ValLoss),
                V(MetricNames.ValAccuracy), V(MetricNames.LearningRate), m.SamplesPerSecond, m.Seconds);
        else
            EpochWithoutValidation(logger, m.Epoch, epochs, V(MetricNames.TrainLoss), V(MetricNames.TrainAccuracy),
                V(MetricNames.LearningRate), m.SamplesPerSecond, m.Seconds);

        var extra = m.Values.Where(p => p.Key is not (MetricNames.LearningRate or MetricNames.TrainLoss or MetricNames.TrainAccuracy
            or MetricNames.ValLoss or MetricNames.ValAccuracy)).ToDictionary(p => p.Key, p => p.Value);
        if (extra.Count > 0) ExtraMetrics(logger, m.Epoch, extra);
    }

    [LoggerMessage(EventId = 15, EventName = "ModelPackaged", Level = LogLevel.Information,
        Message = "Model package {ModelPackage}: {WeightsDescription}, SHA-256 {WeightsSha256}")]
    public static partial void ModelPackaged(ILogger logger, string modelPackage, string weightsDescription, string weightsSha256);

    [LoggerMessage(EventId = 16, EventName = "ModelPackageFailed", Level = LogLevel.Error,
        Message = "The model package could not be written to {ModelPackage}: {Reason}; the run's other files are kept")]
    public static partial void ModelPackageFailed(ILogger logger, string modelPackage, string reason);
}
