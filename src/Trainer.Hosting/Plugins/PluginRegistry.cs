using System.Diagnostics.CodeAnalysis;

namespace Trainer.Hosting.Plugins;

/// <summary>
/// The plugins of one kind, by name (case-insensitive): refuses two classes under one name and words the error for a
/// name it does not know, listing the names it does. Each kind the <see cref="PluginCatalog"/> knows is one registry.
/// </summary>
/// <typeparam name="TDescriptor">What the registry keeps of each plugin.</typeparam>
/// <param name="kind">The kind in the singular, as in "is not a known callback".</param>
/// <param name="plural">The kind in the plural, as in "Two plugins are named".</param>
/// <param name="nameAttribute">The attribute that renames a plugin of this kind, without "Attribute", e.g. "CallbackName".</param>
/// <param name="noneLoaded">What an unknown name's error says when the registry is empty, e.g. "no callback plugins are installed.".</param>
public sealed class PluginRegistry<TDescriptor>(string kind, string plural, string nameAttribute, string noneLoaded)
    where TDescriptor : IPluginDescriptor
{
    private readonly Dictionary<string, TDescriptor> byName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many plugins it holds.</summary>
    public int Count => byName.Count;

    /// <summary>The plugins, ordered by name.</summary>
    public IReadOnlyList<TDescriptor> All => byName.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();

    /// <summary>The plugins' names, in order.</summary>
    public IReadOnlyList<string> Names => All.Select(d => d.Name).ToList();

    /// <summary>
    /// Adds <paramref name="descriptor"/>, replacing an entry for the same class; throws <see cref="InvalidOperationException"/>
    /// naming both classes when another class already has the name.
    /// </summary>
    public void Add(TDescriptor descriptor)
    {
        var name = descriptor.Name;
        if (byName.TryGetValue(name, out var existing) && existing.ImplementationType != descriptor.ImplementationType)
            throw new InvalidOperationException(
                $"Two {plural} are named '{name}': {existing.ImplementationType.FullName} ({existing.AssemblyName}) and " +
                $"{descriptor.ImplementationType.FullName} ({descriptor.AssemblyName}); rename one with [{descriptor.NameAttribute ?? nameAttribute}].");
        byName[name] = descriptor;
    }

    /// <summary>Adds every plugin of <paramref name="other"/> (a registry of the same kind).</summary>
    public void AddAll(PluginRegistry<TDescriptor> other)
    {
        foreach (var descriptor in other.byName.Values) Add(descriptor);
    }

    /// <summary>The plugin named <paramref name="name"/>, in any case.</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out TDescriptor descriptor) => byName.TryGetValue(name, out descriptor);

    /// <summary>
    /// The error for a name the registry does not know: "<paramref name="setting"/> '<paramref name="name"/>' is not a
    /// known callback; known: A, B." or, when it is empty, what the registry was given as <c>noneLoaded</c>.
    /// </summary>
    /// <param name="setting">Where the name was written, e.g. "Callbacks:0:Type".</param>
    /// <param name="name">The name written there.</param>
    public string NotKnown(string setting, string name) =>
        $"{setting} '{name}' is not a known {kind}; " + (Count == 0 ? noneLoaded : $"known: {string.Join(", ", Names)}.");
}
