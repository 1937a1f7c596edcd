using System.Reflection;
using Trainer.Tasks;

namespace Trainer.Hosting.Plugins;

/// <summary>A metric a plugin provides (<c>Task:Metrics</c>): its recipe name and class, which has a parameterless constructor.</summary>
/// <param name="Name">The name recipes use in <c>Task:Metrics</c> (and the suffix of <c>val_NAME</c>).</param>
/// <param name="MetricType">The <see cref="IMetric"/> class.</param>
public sealed record MetricDescriptor(string Name, Type MetricType) : IPluginDescriptor
{
    /// <summary>The assembly the metric comes from.</summary>
    public string AssemblyName => MetricType.Assembly.GetName().Name ?? "?";

    /// <inheritdoc />
    Type? IPluginDescriptor.OptionsType => null;

    /// <inheritdoc />
    Type IPluginDescriptor.ImplementationType => MetricType;

    /// <summary>
    /// The descriptor of a concrete <see cref="IMetric"/> class outside Trainer.Core (whose metrics are built in), named by
    /// <see cref="MetricNameAttribute"/> or the class name less "Metric"; null for any other type.
    /// </summary>
    internal static MetricDescriptor? Of(Type type)
    {
        if (!typeof(IMetric).IsAssignableFrom(type) || type.IsAbstract || !type.IsClass || type.Assembly == typeof(IMetric).Assembly) return null;
        var name = type.GetCustomAttribute<MetricNameAttribute>()?.Name
                   ?? (type.Name.EndsWith("Metric", StringComparison.Ordinal) && type.Name.Length > 6 ? type.Name[..^6] : type.Name);
        return new MetricDescriptor(name, type);
    }
}
