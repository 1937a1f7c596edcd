namespace Trainer.Tasks;

/// <summary>Names a metric plugin for recipes' <c>Task:Metrics</c>; without it the class name less "Metric" is used.</summary>
/// <param name="name">The name recipes use (the suffix of <c>train_NAME</c>, <c>val_NAME</c>, <c>test_NAME</c>).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MetricNameAttribute(string name) : Attribute
{
    /// <summary>The name recipes use.</summary>
    public string Name { get; } = name;
}
