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
        if (accumulators.Count == 0) return;
        if (correct is not null && task.Kind == TaskKind.Classification && accumulators.Count == 1 && accumulators[0].Accumulator is SumAccumulator only
            && accumulators[0].Metric is AccuracyMetric)
        {
            only.Add(correct, outputs.size(0)); // the common case costs one device add per step, as before tasks had kinds
            return;
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var predictions = outputs.detach();
        var actual = targets;
        if (task.TargetScaling is { } scaling)
        {
            predictions = scaling.Restore(predictions);
            actual = scaling.Restore(targets);
        }
        foreach (var (metric, accumulator) in accumulators)
        {
            if (correct is not null && metric is AccuracyMetric && task.Kind == TaskKind.Classification && accumulator is SumAccumulator sum)
                sum.Add(correct, outputs.size(0));
            else accumulator.Update(predictions, actual);
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
