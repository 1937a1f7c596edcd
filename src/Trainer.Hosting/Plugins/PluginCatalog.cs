using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Trainer.Callbacks;
using Trainer.Models;
using Trainer.Schedules;
using Trainer.Search;
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
    private readonly Dictionary<string, ModelFactoryDescriptor> models = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (Type Type, Type? OptionsType)> samplers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The plugins, by name.</summary>
    public IReadOnlyCollection<PluginDescriptor> Plugins => plugins.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

    /// <summary>The model factories plugins provide, by name.</summary>
    public IReadOnlyCollection<ModelFactoryDescriptor> Models => models.Values.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();

    /// <summary>A catalog of the callbacks and model factories in <paramref name="assemblies"/>.</summary>
    public static PluginCatalog FromAssemblies(IEnumerable<Assembly> assemblies) => new PluginCatalog().AddAssemblies(assemblies);

    /// <summary>
    /// A copy of this catalog with the callbacks and model factories of <paramref name="assemblies"/> added (plugin
    /// assemblies a recipe lists); throws <see cref="RecipeException"/> for clashing names and types that cannot load.
    /// </summary>
    public PluginCatalog With(IEnumerable<Assembly> assemblies)
    {
        var copy = new PluginCatalog();
        foreach (var (name, plugin) in plugins) copy.plugins[name] = plugin;
        foreach (var (name, model) in models) copy.models[name] = model;
        foreach (var (name, sampler) in samplers) copy.samplers[name] = sampler;
        var errors = new List<string>();
        foreach (var assembly in assemblies.Distinct())
        {
            try
            {
                copy.AddAssemblies([assembly]);
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
        if (errors.Count > 0) throw new RecipeException(errors);
        return copy;
    }

    /// <summary>
    /// This catalog with the plugin assemblies the configuration lists under <c>Plugins</c> (a path or a list of paths,
    /// relative to <paramref name="baseDirectory"/>) added; itself when there are none. Throws <see cref="RecipeException"/>.
    /// </summary>
    public PluginCatalog ForConfiguration(IConfiguration configuration, string baseDirectory)
    {
        var section = configuration.GetSection("Plugins");
        var entries = section.Value is { } single
            ? [("Plugins", single)]
            : section.GetChildren().Select(c => ($"Plugins:{c.Key}", c.Value ?? "")).ToList();
        var allowWritable = bool.TryParse(configuration[AllowWritablePluginsKey], out var allow) && allow;
        return entries.Count == 0 ? this : WithPlugins(entries, baseDirectory, allowWritable);
    }

    /// <summary>The setting that lets a run load plugins other users could have replaced (a shared build folder); off by default.</summary>
    public const string AllowWritablePluginsKey = "Trainer:AllowWritablePlugins";

    /// <summary>
    /// This catalog with the plugin assemblies or folders of <paramref name="entries"/> (their configuration path or option
    /// name, and the path written there, relative to <paramref name="baseDirectory"/>) loaded and added; throws
    /// <see cref="RecipeException"/> listing every problem.
    /// </summary>
    /// <param name="entries">The configuration path or option name, and the path written there.</param>
    /// <param name="baseDirectory">What relative paths resolve against.</param>
    /// <param name="allowWritable">Load plugins whose file or folder other users can write (refused by default).</param>
    public PluginCatalog WithPlugins(IEnumerable<(string ConfigPath, string Path)> entries, string baseDirectory, bool allowWritable = false)
    {
        var errors = new List<string>();
        var assemblies = PluginAssemblyLoader.Load(entries, baseDirectory, errors, allowWritable);
        if (errors.Count > 0) throw new RecipeException(errors);
        return With(assemblies);
    }

    private PluginCatalog AddAssemblies(IEnumerable<Assembly> assemblies)
    {
        foreach (var assembly in assemblies.Distinct())
            foreach (var type in assembly.GetExportedTypes())
            {
                if (!type.IsClass || type.IsAbstract) continue;
                if (typeof(TrainingCallback).IsAssignableFrom(type)) Add(type);
                else if (typeof(IModelFactory).IsAssignableFrom(type)) AddModel(type);
                else if (type.GetCustomAttribute<ScheduleNameAttribute>() is { } schedule && typeof(ILearningRateSchedule).IsAssignableFrom(type))
                    AddNamed(schedule.Name, new PluginDescriptor(schedule.Name, typeof(ScheduleCallback), OptionsTypeOf(type)) { ScheduleType = type });
                else if (type.GetCustomAttribute<SamplerNameAttribute>() is { } sampler && typeof(ISampler).IsAssignableFrom(type))
                {
                    if (samplers.TryGetValue(sampler.Name, out var existing) && existing.Type != type)
                        throw new InvalidOperationException($"Two samplers are named '{sampler.Name}': {existing.Type.FullName} ({existing.Type.Assembly.GetName().Name}) and " +
                                                            $"{type.FullName} ({type.Assembly.GetName().Name}); rename one with [SamplerName].");
                    samplers[sampler.Name] = (type, OptionsTypeOf(type));
                }
            }
        return this;
    }

    /// <summary>Adds a model factory type; its name comes from <see cref="ModelNameAttribute"/> or the class name without "ModelFactory"/"Factory".</summary>
    public PluginCatalog AddModel(Type factoryType)
    {
        if (!typeof(IModelFactory).IsAssignableFrom(factoryType) || factoryType.IsAbstract || !factoryType.IsClass)
            throw new ArgumentException($"{factoryType.FullName} is not a concrete IModelFactory.", nameof(factoryType));
        var name = factoryType.GetCustomAttribute<ModelNameAttribute>()?.Name ?? ModelName(factoryType);
        var optionsType = OptionsTypeOf(factoryType);
        if (models.TryGetValue(name, out var existing) && existing.FactoryType != factoryType)
            throw new InvalidOperationException(
                $"Two models are named '{name}': {existing.FactoryType.FullName} ({existing.AssemblyName}) and {factoryType.FullName} " +
                $"({factoryType.Assembly.GetName().Name}); rename one with [ModelName].");
        models[name] = new ModelFactoryDescriptor(name, factoryType, optionsType);
        return this;
    }

    /// <summary>
    /// The model factory named by <c>Model:Type</c>, built with <c>Model:Options</c>; null when the recipe uses a built-in
    /// <c>Model:Kind</c>. Throws <see cref="RecipeException"/> for an unknown name or invalid options.
    /// </summary>
    public IModelFactory? CreateModelFactory(IConfiguration configuration)
    {
        var name = configuration["Model:Type"];
        if (string.IsNullOrWhiteSpace(name))
            return configuration.GetSection("Model:Options").Exists()
                ? throw new RecipeException("Model:Options belongs to a plugin model: name it with Model:Type, or remove Model:Options.")
                : null;
        if (!models.TryGetValue(name, out var model))
            throw new RecipeException($"Model:Type '{name}' is not a known model; " + (models.Count == 0
                ? "no plugin model is loaded: list the plugin's assembly under Plugins, or use Model:Kind (mlp, cnn)."
                : $"known: {string.Join(", ", Models.Select(m => m.Name))}."));
        var errors = new List<string>();
        var factory = Instantiate(model.FactoryType, model.OptionsType, model.Name, configuration.GetSection("Model:Options"), "Model:Options", errors);
        if (errors.Count > 0) throw new RecipeException(errors);
        return (IModelFactory)factory!;
    }

    private static Type? OptionsTypeOf(Type type)
    {
        var optionsType = type.GetConstructors().Select(c => c.GetParameters()).Where(p => p.Length == 1).Select(p => p[0].ParameterType).FirstOrDefault();
        if (optionsType is null && type.GetConstructor(Type.EmptyTypes) is null)
            throw new ArgumentException($"{type.FullName} needs a public constructor taking nothing or one options object.", nameof(type));
        return optionsType;
    }

    private static string ModelName(Type type) =>
        type.Name.EndsWith("ModelFactory", StringComparison.Ordinal) && type.Name.Length > "ModelFactory".Length ? type.Name[..^"ModelFactory".Length]
        : type.Name.EndsWith("Factory", StringComparison.Ordinal) && type.Name.Length > "Factory".Length ? type.Name[..^"Factory".Length]
        : type.Name;

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
        var name = TrainingCallback.NameOf(callbackType);
        return AddNamed(name, new PluginDescriptor(name, callbackType, OptionsTypeOf(callbackType)));
    }

    private PluginCatalog AddNamed(string name, PluginDescriptor plugin)
    {
        if (plugins.TryGetValue(name, out var existing) && (existing.ScheduleType ?? existing.CallbackType) != (plugin.ScheduleType ?? plugin.CallbackType))
            throw new InvalidOperationException(
                $"Two plugins are named '{name}': {(existing.ScheduleType ?? existing.CallbackType).FullName} ({existing.AssemblyName}) and " +
                $"{(plugin.ScheduleType ?? plugin.CallbackType).FullName} ({plugin.AssemblyName}); rename one with [CallbackName].");
        plugins[name] = plugin;
        return this;
    }

    /// <summary>The names of the samplers plugins provide (<c>Search:Sampler:Type</c>).</summary>
    public IReadOnlyCollection<string> Samplers => samplers.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Builds the plugin sampler named <paramref name="name"/> with <paramref name="options"/>; null when no plugin has
    /// that name. Problems are added to <paramref name="errors"/> under <c>Search:Sampler:Options</c>.
    /// </summary>
    public ISampler? CreateSampler(string name, IConfigurationSection options, List<string> errors)
    {
        if (!samplers.TryGetValue(name, out var sampler)) return null;
        return (ISampler?)Instantiate(sampler.Type, sampler.OptionsType, name, options, "Search:Sampler:Options", errors);
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

    private static TrainingCallback? Create(PluginDescriptor plugin, IConfigurationSection section, string path, List<string> errors) =>
        plugin.ScheduleType is { } scheduleType
            ? Instantiate(scheduleType, plugin.OptionsType, plugin.Name, section, path, errors) is ILearningRateSchedule schedule ? new ScheduleCallback(schedule) : null
            : (TrainingCallback?)Instantiate(plugin.CallbackType, plugin.OptionsType, plugin.Name, section, path, errors);

    /// <summary>
    /// Builds a plugin type from its options section: with no options type, the section must be empty; otherwise the
    /// options are bound and validated and passed to the constructor. Problems go to <paramref name="errors"/> under
    /// <paramref name="path"/>; the result is then null.
    /// </summary>
    private static object? Instantiate(Type type, Type? optionsType, string name, IConfigurationSection section, string path, List<string> errors)
    {
        if (optionsType is null)
        {
            if (!section.GetChildren().Any()) return Activator.CreateInstance(type);
            errors.Add($"{path}: {name} takes no options.");
            return null;
        }
        if (BindOptions(optionsType, name, section, path, errors) is not { } options || !ValidateOptions(options, path, errors))
            return null;
        try
        {
            return Activator.CreateInstance(type, options);
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
}
