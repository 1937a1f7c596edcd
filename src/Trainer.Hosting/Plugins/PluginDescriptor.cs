using System.ComponentModel;

namespace Trainer.Hosting.Plugins;

/// <summary>A callback plugin the catalog can build: its recipe name, class, and options type.</summary>
/// <param name="Name">The name recipes use in <c>"Type"</c>.</param>
/// <param name="CallbackType">The <see cref="Trainer.Callbacks.TrainingCallback"/> subclass.</param>
/// <param name="OptionsType">The type its constructor takes, bound from <c>"Options"</c>; null for a parameterless constructor.</param>
public sealed record PluginDescriptor(string Name, Type CallbackType, Type? OptionsType)
{
    /// <summary>For a plugin learning-rate schedule: its class, which <see cref="ScheduleCallback"/> runs; null for a callback.</summary>
    public Type? ScheduleType { get; init; }

    /// <summary>The assembly the plugin comes from.</summary>
    public string AssemblyName => (ScheduleType ?? CallbackType).Assembly.GetName().Name ?? "?";

    /// <summary>The settable options with their types, defaults and <see cref="DescriptionAttribute"/> texts.</summary>
    public IReadOnlyList<PluginOption> Options => PluginOption.Describe(OptionsType);
}
