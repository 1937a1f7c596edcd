using System.Reflection;

namespace Trainer.Hosting.Plugins;

/// <summary>
/// Finds plugins in assemblies: each public, concrete class goes to the first rule that recognises it, which describes
/// it and adds it to its kind's <see cref="PluginRegistry{TDescriptor}"/>. A new kind of plugin is one more rule.
/// </summary>
internal sealed class PluginDiscovery
{
    private readonly List<Func<Type, bool>> rules = [];

    /// <summary>
    /// Adds a rule, tried after the ones before it: the classes <paramref name="describe"/> gives a descriptor for
    /// (null for a class of another kind) go to <paramref name="registry"/>.
    /// </summary>
    public PluginDiscovery Rule<TDescriptor>(PluginRegistry<TDescriptor> registry, Func<Type, TDescriptor?> describe)
        where TDescriptor : class, IPluginDescriptor
    {
        rules.Add(type =>
        {
            if (describe(type) is not { } descriptor) return false;
            registry.Add(descriptor);
            return true;
        });
        return this;
    }

    /// <summary>Adds the plugins of <paramref name="assemblies"/>; throws at the first clash of names or unusable class.</summary>
    public void Scan(IEnumerable<Assembly> assemblies)
    {
        foreach (var assembly in assemblies.Distinct()) Scan(assembly);
    }

    /// <summary>
    /// Adds the plugins of each of <paramref name="assemblies"/> (those a recipe lists); a clash of names, an unusable
    /// class or types that cannot load becomes a line under <c>Plugins</c> in <paramref name="errors"/>, one per assembly.
    /// </summary>
    public void Scan(IEnumerable<Assembly> assemblies, List<string> errors)
    {
        foreach (var assembly in assemblies.Distinct())
        {
            try
            {
                Scan(assembly);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                errors.Add($"Plugins: {e.Message}");
            }
            catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
            {
                var detail = (e is ReflectionTypeLoadException load
                    ? string.Join("; ", load.LoaderExceptions.OfType<Exception>().Select(x => x.Message.Trim()).Distinct().Take(3))
                    : e.Message).ReplaceLineEndings(" ").Trim(); // one line, however the runtime worded it
                errors.Add($"Plugins: the types of '{assembly.GetName().Name}' could not be loaded ({detail}); give the plugin's build " +
                           "output folder, which holds its dependencies and .deps.json.");
            }
        }
    }

    private void Scan(Assembly assembly)
    {
        foreach (var type in assembly.GetExportedTypes())
        {
            if (!type.IsClass || type.IsAbstract) continue;
            foreach (var rule in rules)
                if (rule(type)) break;
        }
    }
}
