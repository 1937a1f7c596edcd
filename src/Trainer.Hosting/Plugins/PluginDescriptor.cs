using System.ComponentModel;
using System.Reflection;
using Trainer.Callbacks;
using Trainer.Schedules;

namespace Trainer.Hosting.Plugins;

/// <summary>A callback plugin the catalog can build: its recipe name, class, and options type.</summary>
/// <param name="Name">The name recipes use in <c>"Type"</c>.</param>
/// <param name="CallbackType">The <see cref="Trainer.Callbacks.TrainingCallback"/> subclass.</param>
/// <param name="OptionsType">The type its constructor takes, bound from <c>"Options"</c>; null for a parameterless constructor.</param>
public sealed record PluginDescriptor(string Name, Type CallbackType, Type? OptionsType) : IPluginDescriptor
{
    /// <summary>For a plugin learning-rate schedule: its class, which <see cref="ScheduleCallback"/> runs; null for a callback.</summary>
    public Type? ScheduleType { get; init; }

    /// <summary>The assembly the plugin comes from.</summary>
    public string AssemblyName => ImplementationType.Assembly.GetName().Name ?? "?";

    /// <summary>The settable options with their types, defaults and <see cref="DescriptionAttribute"/> texts.</summary>
    public IReadOnlyList<PluginOption> Options => PluginOption.Describe(OptionsType);

    /// <summary>The class built for it: <see cref="ScheduleType"/> for a plugin schedule, otherwise <see cref="CallbackType"/>.</summary>
    public Type ImplementationType => ScheduleType ?? CallbackType;

    /// <summary>"ScheduleName" for a plugin schedule (renamed with [ScheduleName]); null for a callback.</summary>
    public string? NameAttribute => ScheduleType is null ? null : "ScheduleName";

    /// <summary>
    /// The descriptor of a concrete <see cref="TrainingCallback"/> class, named by <see cref="CallbackNameAttribute"/> or
    /// the class name without "Callback"; null for any other type.
    /// </summary>
    internal static PluginDescriptor? OfCallback(Type type)
    {
        if (!typeof(TrainingCallback).IsAssignableFrom(type) || type.IsAbstract) return null;
        var name = TrainingCallback.NameOf(type);
        return new PluginDescriptor(name, type, PluginActivator.OptionsTypeOf(type));
    }

    /// <summary>
    /// The descriptor of an <see cref="ILearningRateSchedule"/> class with a <see cref="ScheduleNameAttribute"/>, run by
    /// <see cref="ScheduleCallback"/>; null for any other type.
    /// </summary>
    internal static PluginDescriptor? OfSchedule(Type type) =>
        type.GetCustomAttribute<ScheduleNameAttribute>() is { } schedule && typeof(ILearningRateSchedule).IsAssignableFrom(type)
            ? new PluginDescriptor(schedule.Name, typeof(ScheduleCallback), PluginActivator.OptionsTypeOf(type)) { ScheduleType = type }
            : null;
}
