using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Trainer.Hosting.Plugins;

/// <summary>
/// Loads the plugin assemblies a recipe (or appsettings) lists under <c>Plugins</c>: a <c>.dll</c>, or a folder whose
/// assemblies that reference Trainer.Core are loaded. Each loads once per process, in its own
/// <see cref="PluginLoadContext"/>. Problems (a missing file, not a .NET assembly, built for another framework, no
/// reference to Trainer) are reported with the <c>Plugins:N</c> path and the fix.
/// </summary>
public static class PluginAssemblyLoader
{
    private const string CoreAssembly = "Trainer.Core";
    private static readonly ConcurrentDictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);

    /// <summary>Loads every entry; returns the assemblies and adds a message per problem to <paramref name="errors"/>.</summary>
    /// <param name="entries">The configuration path (<c>Plugins:0</c>) and the path written there.</param>
    /// <param name="baseDirectory">What relative paths resolve against (the recipe's folder).</param>
    /// <param name="errors">Where problems are added.</param>
    /// <param name="allowWritable">Load code other users can write too (refused by default: they could replace what the run executes).</param>
    public static IReadOnlyList<Assembly> Load(IEnumerable<(string ConfigPath, string Path)> entries, string baseDirectory, List<string> errors,
        bool allowWritable = false)
    {
        var assemblies = new List<Assembly>();
        foreach (var (configPath, written) in entries)
        {
            if (string.IsNullOrWhiteSpace(written))
            {
                errors.Add($"{configPath} is empty: give a plugin .dll or the folder of one.");
                continue;
            }
            var full = Path.GetFullPath(written, baseDirectory);
            if (!allowWritable && WritableByOthers(full) is { } exposed)
            {
                errors.Add($"{configPath}: '{exposed}' can be written by other users, so any of them could replace the code this run loads; " +
                           $"remove their write permission (chmod o-w), or set {PluginCatalog.AllowWritablePluginsKey}=true if you trust them.");
                continue;
            }
            if (Directory.Exists(full))
            {
                var problems = new List<string>();
                var found = Directory.EnumerateFiles(full, "*.dll").Order(StringComparer.Ordinal)
                    .Where(f => !PluginLoadContext.IsShared(Path.GetFileNameWithoutExtension(f)) && Inspect(f, configPath, problems) == Kind.Plugin)
                    .ToList();
                // A folder holds dependencies too: their problems matter only when no plugin was found (e.g. it was built for a newer .NET).
                var reasons = problems.Where(p => !p.Contains($"does not reference {CoreAssembly}", StringComparison.Ordinal)).ToList();
                if (found.Count == 0 && reasons.Count > 0)
                    errors.AddRange(reasons);
                else if (found.Count == 0)
                    errors.Add($"{configPath}: the folder '{written}' holds no assembly that references {CoreAssembly} (looked at {full}); build the plugin project and give its output folder.");
                foreach (var file in found)
                    if (LoadOne(file, configPath, errors) is { } assembly) assemblies.Add(assembly);
            }
            else if (File.Exists(full))
            {
                if (Inspect(full, configPath, errors) == Kind.Plugin && LoadOne(full, configPath, errors) is { } assembly) assemblies.Add(assembly);
            }
            else
            {
                errors.Add($"{configPath}: '{written}' does not exist (looked at {full}); build the plugin project (dotnet build) and give its .dll or output folder.");
            }
        }
        return assemblies.Distinct().ToList();
    }

    /// <summary>
    /// The first of the path, its folder, and (for a folder) its .dll files that users other than the owner can write
    /// (world-writable, unless a sticky folder keeps them from replacing others' files); null when none is, or on Windows.
    /// </summary>
    private static string? WritableByOthers(string path)
    {
        if (OperatingSystem.IsWindows() || (!File.Exists(path) && !Directory.Exists(path))) return null;
        var candidates = new List<string> { path };
        if (Directory.Exists(path)) candidates.AddRange(Directory.EnumerateFiles(path, "*.dll"));
        else if (Path.GetDirectoryName(path) is { } folder) candidates.Add(folder);
        foreach (var candidate in candidates)
        {
            var mode = File.GetUnixFileMode(candidate);
            var sticky = Directory.Exists(candidate) && mode.HasFlag(UnixFileMode.StickyBit);
            if (mode.HasFlag(UnixFileMode.OtherWrite) && !sticky) return candidate;
        }
        return null;
    }

    private enum Kind { NotPlugin, Plugin }

    /// <summary>Reads the file's metadata without loading it: a .NET assembly, for a framework this runtime runs, referencing Trainer.Core.</summary>
    private static Kind Inspect(string file, string configPath, List<string>? errors)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                errors?.Add($"{configPath}: '{file}' is not a .NET assembly; give the plugin's managed .dll.");
                return Kind.NotPlugin;
            }
            var metadata = pe.GetMetadataReader();
            if (TargetFramework(metadata) is { } framework && Unsupported(framework) is { } problem)
            {
                errors?.Add($"{configPath}: '{Path.GetFileName(file)}' {problem}");
                return Kind.NotPlugin;
            }
            var referencesCore = metadata.AssemblyReferences.Any(r => metadata.GetString(metadata.GetAssemblyReference(r).Name) == CoreAssembly);
            if (!referencesCore)
            {
                errors?.Add($"{configPath}: '{Path.GetFileName(file)}' does not reference {CoreAssembly}, so it holds no callbacks or models; give the plugin's own assembly.");
                return Kind.NotPlugin;
            }
            return Kind.Plugin;
        }
        catch (BadImageFormatException)
        {
            errors?.Add($"{configPath}: '{file}' is not a .NET assembly; give the plugin's managed .dll.");
            return Kind.NotPlugin;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors?.Add($"{configPath}: '{file}' cannot be read: {e.Message}");
            return Kind.NotPlugin;
        }
    }

    private static Assembly? LoadOne(string file, string configPath, List<string> errors)
    {
        try
        {
            return Loaded.GetOrAdd(file, path => new PluginLoadContext(path).LoadFromAssemblyPath(path));
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException or FileNotFoundException)
        {
            errors.Add($"{configPath}: '{Path.GetFileName(file)}' could not be loaded: {e.Message.ReplaceLineEndings(" ").Trim()}");
            return null;
        }
    }

    /// <summary>The value of the assembly's <c>TargetFrameworkAttribute</c>, e.g. ".NETCoreApp,Version=v10.0".</summary>
    private static string? TargetFramework(MetadataReader metadata)
    {
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var constructor = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind != HandleKind.TypeReference) continue;
            if (metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)constructor.Parent).Name) != "TargetFrameworkAttribute") continue;
            var blob = metadata.GetBlobReader(attribute.Value);
            if (blob.ReadUInt16() != 1) return null; // custom-attribute prolog
            return blob.ReadSerializedString();
        }
        return null;
    }

    private static string? Unsupported(string framework)
    {
        var parts = framework.Split(",Version=v");
        if (parts.Length != 2 || !Version.TryParse(parts[1], out var version)) return null;
        var runtime = Environment.Version.Major;
        return parts[0] switch
        {
            ".NETCoreApp" when version.Major > runtime =>
                $"is built for net{version.Major}.{version.Minor}, but Trainer runs on .NET {runtime}; set <TargetFramework>net{runtime}.0</TargetFramework> in the plugin project.",
            ".NETFramework" =>
                $"is built for .NET Framework {version}; plugins must target net{runtime}.0 (or netstandard2.0).",
            _ => null,
        };
    }
}
