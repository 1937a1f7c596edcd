namespace Trainer.Hosting.Plugins;

/// <summary>A model factory a plugin provides: its recipe name (<c>Model:Type</c>), class, and options type.</summary>
/// <param name="Name">The name recipes use in <c>Model:Type</c>.</param>
/// <param name="FactoryType">The <see cref="Trainer.Models.IModelFactory"/> class.</param>
/// <param name="OptionsType">The type its constructor takes, bound from <c>Model:Options</c>; null for a parameterless constructor.</param>
public sealed record ModelFactoryDescriptor(string Name, Type FactoryType, Type? OptionsType)
{
    /// <summary>The assembly the factory comes from.</summary>
    public string AssemblyName => FactoryType.Assembly.GetName().Name ?? "?";

    /// <summary>The settable options with their types and defaults.</summary>
    public IReadOnlyList<PluginOption> Options => PluginOption.Describe(OptionsType);
}
