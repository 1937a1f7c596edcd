using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Trainer.Callbacks;
using Trainer.Recipes;

namespace Trainer.Hosting.Plugins;

/// <summary>
/// Maps a recipe's callback <c>"Type"</c> to a callback class, binds its <c>"Options"</c> to the options type its
/// constructor takes, validates them (data annotations and <see cref="IValidatableObject"/>) and builds it. The
/// catalog knows no concrete plugin: it discovers public, non-abstract <see cref="TrainingCallback"/> subclasses in
/// the assemblies it is given.
/// </summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<string, PluginDescriptor> plugins = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The plugins, by name.</summary>
    public IReadOnlyCollection<PluginDescriptor> Plugins => plugins.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

    /// <summary>A catalog of the callbacks in <paramref name="assemblies"/>.</summary>
    public static PluginCatalog FromAssemblies(IEnumerable<Assembly> assemblies)
    {
        var catalog = new PluginCatalog();
        foreach (var assembly in assemblies.Distinct())
            foreach (var type in assembly.GetExportedTypes())
                if (type.IsClass && !type.IsAbstract && typeof(TrainingCallback).IsAssignableFrom(type))
                    catalog.Add(type);
        return catalog;
    }

    /// <summary>
    /// A catalog of Trainer.Core plus every <c>Trainer.Plugins.*.dll</c> in <paramref name="directory"/>
    /// (the application folder by default) and <paramref name="extra"/> assemblies.
    /// </summary>
    public static PluginCatalog FromApplicationDirectory(string? directory = null, IEnumerable<Assembly>? extra = null)
    {
        var folder = directory ?? AppContext.BaseDirectory;
        var assemblies = new List<Assembly> { typeof(TrainingCallback).Assembly };
        foreach (var file in Directory.EnumerateFiles(folder, "Trainer.Plugins.*.dll").Order(StringComparer.Ordinal))
            assemblies.Add(Assembly.LoadFrom(file));
        if (extra is not null) assemblies.AddRange(extra);
        return FromAssemblies(assemblies);
    }

    /// <summary>Adds a callback type; its name comes from <see cref="CallbackNameAttribute"/> or the class name without "Callback".</summary>
    public PluginCatalog Add(Type callbackType)
    {
        if (!typeof(TrainingCallback).IsAssignableFrom(callbackType) || callbackType.IsAbstract)
            throw new ArgumentException($"{callbackType.FullName} is not a concrete TrainingCallback.", nameof(callbackType));
        var name = callbackType.GetCustomAttribute<CallbackNameAttribute>()?.Name ?? DefaultName(callbackType);
        var constructors = callbackType.GetConstructors();
        var optionsType = constructors.Select(c => c.GetParameters()).Where(p => p.Length == 1).Select(p => p[0].ParameterType).FirstOrDefault();
        if (optionsType is null && callbackType.GetConstructor(Type.EmptyTypes) is null)
            throw new ArgumentException($"{callbackType.FullName} needs a public constructor taking nothing or one options object.", nameof(callbackType));
        if (plugins.TryGetValue(name, out var existing) && existing.CallbackType != callbackType)
            throw new InvalidOperationException(
                $"Two plugins are named '{name}': {existing.CallbackType.FullName} ({existing.AssemblyName}) and {callbackType.FullName} " +
                $"({callbackType.Assembly.GetName().Name}); rename one with [CallbackName].");
        plugins[name] = new PluginDescriptor(name, callbackType, optionsType);
        return this;
    }

    /// <summary>Adds <typeparamref name="TCallback"/>.</summary>
    public PluginCatalog Add<TCallback>() where TCallback : TrainingCallback => Add(typeof(TCallback));

    /// <summary>
    /// Builds every callback of the recipe's <c>Callbacks</c> list, in order; throws <see cref="RecipeException"/>
    /// listing every unknown type and invalid option.
    /// </summary>
    public IReadOnlyList<TrainingCallback> CreateCallbacks(IConfiguration configuration)
    {
        var errors = new List<string>();
        var callbacks = new List<TrainingCallback>();
        foreach (var entry in configuration.GetSection("Callbacks").GetChildren())
        {
            var path = $"Callbacks:{entry.Key}";
            var typeName = entry["Type"];
            if (string.IsNullOrWhiteSpace(typeName))
            {
                errors.Add($"{path}:Type is required: name the plugin (run 'trainer plugins' to list them).");
                continue;
            }
            if (!plugins.TryGetValue(typeName, out var plugin))
            {
                errors.Add($"{path}:Type '{typeName}' is not a known callback; " +
                           (plugins.Count == 0 ? "no callback plugins are installed." : $"known: {string.Join(", ", Plugins.Select(p => p.Name))}."));
                continue;
            }
            var callback = Create(plugin, entry.GetSection("Options"), $"{path}:Options", errors);
            if (callback is not null) callbacks.Add(callback);
        }
        if (errors.Count > 0) throw new RecipeException(errors);
        return callbacks;
    }

    private static TrainingCallback? Create(PluginDescriptor plugin, IConfigurationSection section, string path, List<string> errors)
    {
        if (plugin.OptionsType is null)
        {
            if (section.GetChildren().Any())
                errors.Add($"{path}: {plugin.Name} takes no options.");
            return errors.Count == 0 ? (TrainingCallback)Activator.CreateInstance(plugin.CallbackType)! : null;
        }

        if (BindOptions(plugin.OptionsType, plugin.Name, section, path, errors) is not { } options || !ValidateOptions(options, path, errors))
            return null;

        try
        {
            return (TrainingCallback)Activator.CreateInstance(plugin.CallbackType, options)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException or RecipeException)
        {
            errors.Add($"{path}: {e.InnerException.Message}");
            return null;
        }
    }

    /// <summary>
    /// Binds a plugin's options section to a new <paramref name="optionsType"/> (unknown keys are errors); adds a
    /// message naming <paramref name="path"/> and listing the options to <paramref name="errors"/> when it fails.
    /// </summary>
    public static object? BindOptions(Type optionsType, string pluginName, IConfigurationSection section, string path, List<string> errors)
    {
        try
        {
            var options = Activator.CreateInstance(optionsType)!;
            section.Bind(options, b => b.ErrorOnUnknownConfiguration = true);
            return options;
        }
        catch (InvalidOperationException e)
        {
            var detail = (e.InnerException as InvalidOperationException ?? e).Message;
            var known = string.Join(", ", optionsType.GetProperties().Where(p => p.CanWrite).Select(p => p.Name));
            errors.Add($"{path}: {detail.Replace(optionsType.FullName ?? "", pluginName + " options")} (options: {known}).");
            return null;
        }
    }

    /// <summary>Checks options with their data annotations and <see cref="IValidatableObject"/>; adds each problem, under <paramref name="path"/>, to <paramref name="errors"/>.</summary>
    public static bool ValidateOptions(object options, string path, List<string> errors)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)) return true;
        foreach (var result in results)
        {
            var members = result.MemberNames.ToList();
            errors.Add(members.Count > 0 ? $"{path}:{string.Join(",", members)}: {result.ErrorMessage}" : $"{path}: {result.ErrorMessage}");
        }
        return false;
    }

    private static string DefaultName(Type type) =>
        type.Name.EndsWith("Callback", StringComparison.Ordinal) && type.Name.Length > "Callback".Length ? type.Name[..^"Callback".Length] : type.Name;
}
