using System.Reflection;
using Trainer.Models;

namespace Trainer.Hosting.Plugins;

/// <summary>A model factory a plugin provides: its recipe name (<c>Model:Type</c>), class, and options type.</summary>
/// <param name="Name">The name recipes use in <c>Model:Type</c>.</param>
/// <param name="FactoryType">The <see cref="Trainer.Models.IModelFactory"/> class.</param>
/// <param name="OptionsType">The type its constructor takes, bound from <c>Model:Options</c>; null for a parameterless constructor.</param>
public sealed record ModelFactoryDescriptor(string Name, Type FactoryType, Type? OptionsType) : IPluginDescriptor
{
    /// <summary>The assembly the factory comes from.</summary>
    public string AssemblyName => FactoryType.Assembly.GetName().Name ?? "?";

    /// <summary>The settable options with their types and defaults.</summary>
    public IReadOnlyList<PluginOption> Options => PluginOption.Describe(OptionsType);

    /// <inheritdoc />
    Type IPluginDescriptor.ImplementationType => FactoryType;

    /// <summary>
    /// The descriptor of a concrete <see cref="IModelFactory"/> class, named by <see cref="ModelNameAttribute"/> or the
    /// class name without "ModelFactory"/"Factory"; null for any other type.
    /// </summary>
    internal static ModelFactoryDescriptor? Of(Type type)
    {
        if (!typeof(IModelFactory).IsAssignableFrom(type) || type.IsAbstract || !type.IsClass) return null;
        var name = type.GetCustomAttribute<ModelNameAttribute>()?.Name ?? NameByConvention(type);
        return new ModelFactoryDescriptor(name, type, PluginActivator.OptionsTypeOf(type));
    }

    private static string NameByConvention(Type type) =>
        type.Name.EndsWith("ModelFactory", StringComparison.Ordinal) && type.Name.Length > "ModelFactory".Length ? type.Name[..^"ModelFactory".Length]
        : type.Name.EndsWith("Factory", StringComparison.Ordinal) && type.Name.Length > "Factory".Length ? type.Name[..^"Factory".Length]
        : type.Name;
}
