namespace Trainer.Tasks;

/// <summary>
/// A metric (<c>Task:Metrics</c>), accumulated on the device over a pass (an epoch's training batches, the validation or
/// test split) and read to the host once at its end. A plugin metric is a public class with a parameterless constructor,
/// named by <see cref="MetricNameAttribute"/> or its class name less "Metric".
/// </summary>
public interface IMetric
{
    /// <summary>The name recipes use; the metric is logged as <c>train_NAME</c>, <c>val_NAME</c> and <c>test_NAME</c>.</summary>
    string Name { get; }

    /// <summary>True when a larger value is better (accuracy, R², AUC), false when smaller is (errors).</summary>
    bool HigherIsBetter { get; }

    /// <summary>Whether the metric is defined for <paramref name="kind"/>.</summary>
    bool Supports(TaskKind kind);

    /// <summary>A new, empty accumulator for one pass.</summary>
    MetricAccumulator Start(MetricSetting setting);
}
