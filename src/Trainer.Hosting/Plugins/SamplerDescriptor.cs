using System.Reflection;
using Trainer.Search;

namespace Trainer.Hosting.Plugins;

/// <summary>A search sampler a plugin provides: its recipe name (<c>Search:Sampler:Type</c>), class, and options type.</summary>
/// <param name="Name">The name recipes use in <c>Search:Sampler:Type</c>.</param>
/// <param name="SamplerType">The <see cref="ISampler"/> class.</param>
/// <param name="OptionsType">The type its constructor takes, bound from <c>Search:Sampler:Options</c>; null for a parameterless constructor.</param>
public sealed record SamplerDescriptor(string Name, Type SamplerType, Type? OptionsType) : IPluginDescriptor
{
    /// <summary>The assembly the sampler comes from.</summary>
    public string AssemblyName => SamplerType.Assembly.GetName().Name ?? "?";

    /// <inheritdoc />
    Type IPluginDescriptor.ImplementationType => SamplerType;

    /// <summary>The descriptor of an <see cref="ISampler"/> class with a <see cref="SamplerNameAttribute"/>; null for any other type.</summary>
    internal static SamplerDescriptor? Of(Type type) =>
        type.GetCustomAttribute<SamplerNameAttribute>() is { } sampler && typeof(ISampler).IsAssignableFrom(type)
            ? new SamplerDescriptor(sampler.Name, type, PluginActivator.OptionsTypeOf(type))
            : null;
}
