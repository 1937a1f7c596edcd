using System.Reflection;
using Trainer.Data;

namespace Trainer.Hosting.Plugins;

/// <summary>A data source a plugin provides: its recipe name (<c>Data:Source</c>), class, and options type.</summary>
/// <param name="Name">The name recipes use in <c>Data:Source</c>.</param>
/// <param name="SourceType">The <see cref="IDataSource"/> class.</param>
/// <param name="OptionsType">The type its constructor takes, bound from <c>Data:Options</c>; null for a parameterless constructor.</param>
public sealed record DataSourceDescriptor(string Name, Type SourceType, Type? OptionsType) : IPluginDescriptor
{
    /// <summary>The assembly the source comes from.</summary>
    public string AssemblyName => SourceType.Assembly.GetName().Name ?? "?";

    /// <summary>The settable options with their types and defaults.</summary>
    public IReadOnlyList<PluginOption> Options => PluginOption.Describe(OptionsType);

    /// <summary>Whether the source can also stream its examples from storage (<see cref="IStreamingDataSource"/>).</summary>
    public bool Streaming => typeof(IStreamingDataSource).IsAssignableFrom(SourceType);

    /// <inheritdoc />
    Type IPluginDescriptor.ImplementationType => SourceType;

    /// <summary>
    /// The descriptor of a concrete <see cref="IDataSource"/> class, named by <see cref="DataSourceNameAttribute"/> or the
    /// class name without "DataSource"/"Source" (either in any case); null for any other type and for the built-in sources
    /// (<see cref="DataPipeline.BuiltInSources"/>), which recipes reach without a plugin.
    /// </summary>
    internal static DataSourceDescriptor? Of(Type type)
    {
        if (!typeof(IDataSource).IsAssignableFrom(type) || type.IsAbstract || !type.IsClass) return null;
        if (DataPipeline.BuiltInSources.Any(s => s.GetType() == type)) return null;
        var name = type.GetCustomAttribute<DataSourceNameAttribute>()?.Name ?? NameByConvention(type);
        return new DataSourceDescriptor(name, type, PluginActivator.OptionsTypeOf(type));
    }

    private static string NameByConvention(Type type) =>
        type.Name.EndsWith("DataSource", StringComparison.OrdinalIgnoreCase) && type.Name.Length > "DataSource".Length ? type.Name[..^"DataSource".Length]
        : type.Name.EndsWith("Source", StringComparison.OrdinalIgnoreCase) && type.Name.Length > "Source".Length ? type.Name[..^"Source".Length]
        : type.Name;
}
