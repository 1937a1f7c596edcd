using System.Reflection;
using System.Runtime.Loader;

namespace Trainer.Hosting.Plugins;

/// <summary>
/// The load context of one plugin assembly: assemblies the application already has (Trainer, TorchSharp,
/// Microsoft.Extensions.*, Serilog, the framework) come from the application, so a plugin's callback is a
/// <c>TrainingCallback</c> the trainer recognises; the plugin's own dependencies resolve from its folder through its
/// <c>.deps.json</c>.
/// </summary>
public sealed class PluginLoadContext : AssemblyLoadContext
{
    private static readonly Lazy<HashSet<string>> ApplicationAssemblies = new(() =>
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileNameWithoutExtension).OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase));

    private readonly AssemblyDependencyResolver resolver;

    /// <summary>Creates the context of the plugin whose main assembly is <paramref name="pluginPath"/>.</summary>
    public PluginLoadContext(string pluginPath) : base($"plugin:{Path.GetFileNameWithoutExtension(pluginPath)}")
    {
        resolver = new AssemblyDependencyResolver(pluginPath);
    }

    /// <summary>Whether the application itself provides an assembly of this name (so a plugin shares it).</summary>
    public static bool IsShared(string assemblyName) =>
        ApplicationAssemblies.Value.Contains(assemblyName) || Default.Assemblies.Any(a => string.Equals(a.GetName().Name, assemblyName, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && IsShared(name)) return null; // the application's copy: types unify
        return resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    /// <inheritdoc />
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
}
