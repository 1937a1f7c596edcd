using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>
/// The accumulators of a task's metrics over one pass: updated once per batch on the device, computed once at the end.
/// Regression outputs and targets are mapped back to the target's own units first, so the metrics are in those units.
/// </summary>
public sealed class TaskMetrics : IDisposable
{
    private readonly TrainingTask task;
    private readonly List<(IMetric Metric, MetricAccumulator Accumulator)> accumulators = [];

    internal TaskMetrics(TrainingTask task, Device device)
    {
        this.task = task;
        var setting = new MetricSetting(task.Kind, task.Outputs, task.Threshold, device);
        foreach (var metric in task.Metrics) accumulators.Add((metric, metric.Start(setting)));
    }

    /// <summary>Adds a batch of model <paramref name="outputs"/> and <paramref name="targets"/> (no gradients are recorded).</summary>
    /// <param name="outputs">The model's outputs.</param>
    /// <param name="targets">The batch's targets.</param>
    /// <param name="correct">Classification: the batch's count of correct predictions if the caller has it (accuracy reuses it).</param>
    public void Update(Tensor outputs, Tensor targets, Tensor? correct = null)
    {
        TorchSharp.DisposeScope? scope = null;
        IDisposable? noGrad = null;
        Tensor? predictions = null, actual = null;
        try
        {
            foreach (var (metric, accumulator) in accumulators)
            {
                // A classifier's accuracy reuses the loop's count of correct predictions: one device add per step.
                if (correct is not null && task.Kind == TaskKind.Classification && metric is AccuracyMetric && accumulator is SumAccumulator sum)
                {
                    sum.Add(correct, outputs.size(0));
                    continue;
                }
                if (predictions is null)
                {
                    // Made once per batch, and only when a metric needs them (regression in the target's own units).
                    scope = NewDisposeScope();
                    noGrad = no_grad();
                    predictions = outputs.detach();
                    actual = targets;
                    if (task.TargetScaling is { } scaling) (predictions, actual) = (scaling.Restore(predictions), scaling.Restore(targets));
                }
                accumulator.Update(predictions, actual!);
            }
        }
        finally
        {
            noGrad?.Dispose();
            scope?.Dispose();
        }
    }

    /// <summary>Every metric by name (one read to the host each).</summary>
    public Dictionary<string, double> Compute() => accumulators.ToDictionary(a => a.Metric.Name, a => a.Accumulator.Compute());

    /// <summary>Every accumulator's state by metric name, for a mid-epoch checkpoint.</summary>
    public Dictionary<string, double[]> SaveState() => accumulators.ToDictionary(a => a.Metric.Name, a => a.Accumulator.SaveState());

    /// <summary>Restores states <see cref="SaveState"/> gave; a metric without a saved state starts empty.</summary>
    public void LoadState(IReadOnlyDictionary<string, double[]> states)
    {
        foreach (var (metric, accumulator) in accumulators)
            if (states.TryGetValue(metric.Name, out var state)) accumulator.LoadState(state);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, accumulator) in accumulators) accumulator.Dispose();
    }
}
