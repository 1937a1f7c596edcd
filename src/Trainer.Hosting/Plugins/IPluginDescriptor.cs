namespace Trainer.Hosting.Plugins;

/// <summary>
/// What every kind of plugin has in common: the name recipes use, the class to build, and the options type its
/// constructor takes. <see cref="PluginRegistry{TDescriptor}"/> keeps descriptors by name and
/// <see cref="PluginActivator"/> builds them.
/// </summary>
public interface IPluginDescriptor
{
    /// <summary>The name recipes use.</summary>
    string Name { get; }

    /// <summary>The class <see cref="PluginActivator"/> builds.</summary>
    Type ImplementationType { get; }

    /// <summary>The type its constructor takes, bound from the recipe's options; null for a parameterless constructor.</summary>
    Type? OptionsType { get; }

    /// <summary>The assembly the plugin comes from.</summary>
    string AssemblyName { get; }

    /// <summary>The attribute that renames this plugin, without "Attribute", where it is not its registry's (a schedule among the callbacks); null otherwise.</summary>
    string? NameAttribute => null;
}
