using System.Reflection;
using Microsoft.Extensions.Configuration;
using Trainer.Callbacks;
using Trainer.Data;
using Trainer.Models;
using Trainer.Schedules;
using Trainer.Search;
using Trainer.Recipes;

namespace Trainer.Hosting.Plugins;

/// <summary>
/// The plugins a recipe can name: callbacks (and learning-rate schedules, run as callbacks), model factories, search
/// samplers and data sources, each kind a <see cref="PluginRegistry{TDescriptor}"/>. The catalog knows no concrete plugin:
/// <see cref="PluginDiscovery"/> finds them in the assemblies it is given, and <see cref="PluginActivator"/> builds them
/// from the recipe's <c>"Options"</c>.
/// </summary>
public sealed class PluginCatalog
{
    private readonly PluginRegistry<PluginDescriptor> callbacks = new("callback", "plugins", "CallbackName", "no callback plugins are installed.");
    private readonly PluginRegistry<ModelFactoryDescriptor> models = new("model", "models", "ModelName",
        "no plugin model is loaded: list the plugin's assembly under Plugins, or use Model:Kind (mlp, cnn).");
    private readonly PluginRegistry<SamplerDescriptor> samplers = new("sampler", "samplers", "SamplerName", "no plugin sampler is loaded.");
    private readonly PluginRegistry<DataSourceDescriptor> dataSources = new("data source", "data sources", "DataSourceName", "no plugin data source is loaded.");
    private readonly PluginRegistry<LossDescriptor> losses = new("loss", "losses", "LossName", "no plugin loss is loaded.");
    private readonly PluginRegistry<MetricDescriptor> metrics = new("metric", "metrics", "MetricName", "no plugin metric is loaded.");
    private readonly PluginDiscovery discovery;

    /// <summary>An empty catalog.</summary>
    public PluginCatalog() =>
        discovery = new PluginDiscovery()
            .Rule(callbacks, PluginDescriptor.OfCallback)
            .Rule(models, ModelFactoryDescriptor.Of)
            .Rule(callbacks, PluginDescriptor.OfSchedule)
            .Rule(samplers, SamplerDescriptor.Of)
            .Rule(dataSources, DataSourceDescriptor.Of)
            .Rule(losses, LossDescriptor.Of)
            .Rule(metrics, MetricDescriptor.Of);

    /// <summary>The plugins, by name.</summary>
    public IReadOnlyCollection<PluginDescriptor> Plugins => callbacks.All;

    /// <summary>The model factories plugins provide, by name.</summary>
    public IReadOnlyCollection<ModelFactoryDescriptor> Models => models.All;

    /// <summary>The names of the samplers plugins provide (<c>Search:Sampler:Type</c>).</summary>
    public IReadOnlyCollection<string> Samplers => samplers.Names;

    /// <summary>The data sources plugins provide (<c>Data:Source</c>), by name; the built-in ones are <see cref="DataPipeline.BuiltInSources"/>.</summary>
    public IReadOnlyCollection<DataSourceDescriptor> DataSources => dataSources.All;

    /// <summary>A catalog of the callbacks and model factories in <paramref name="assemblies"/>.</summary>
    public static PluginCatalog FromAssemblies(IEnumerable<Assembly> assemblies)
    {
        var catalog = new PluginCatalog();
        catalog.discovery.Scan(assemblies);
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

    /// <summary>
    /// A copy of this catalog with the callbacks and model factories of <paramref name="assemblies"/> added (plugin
    /// assemblies a recipe lists); throws <see cref="RecipeException"/> for clashing names and types that cannot load.
    /// </summary>
    public PluginCatalog With(IEnumerable<Assembly> assemblies)
    {
        var copy = new PluginCatalog();
        copy.callbacks.AddAll(callbacks);
        copy.models.AddAll(models);
        copy.samplers.AddAll(samplers);
        copy.dataSources.AddAll(dataSources);
        copy.losses.AddAll(losses);
        copy.metrics.AddAll(metrics);
        var errors = new List<string>();
        copy.discovery.Scan(assemblies, errors);
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

    /// <summary>Adds a callback type; its name comes from <see cref="CallbackNameAttribute"/> or the class name without "Callback".</summary>
    public PluginCatalog Add(Type callbackType)
    {
        callbacks.Add(PluginDescriptor.OfCallback(callbackType)
                      ?? throw new ArgumentException($"{callbackType.FullName} is not a concrete TrainingCallback.", nameof(callbackType)));
        return this;
    }

    /// <summary>Adds <typeparamref name="TCallback"/>.</summary>
    public PluginCatalog Add<TCallback>() where TCallback : TrainingCallback => Add(typeof(TCallback));

    /// <summary>Adds a model factory type; its name comes from <see cref="ModelNameAttribute"/> or the class name without "ModelFactory"/"Factory".</summary>
    public PluginCatalog AddModel(Type factoryType)
    {
        models.Add(ModelFactoryDescriptor.Of(factoryType)
                   ?? throw new ArgumentException($"{factoryType.FullName} is not a concrete IModelFactory.", nameof(factoryType)));
        return this;
    }

    /// <summary>Adds a data source type; its name comes from <see cref="DataSourceNameAttribute"/> or the class name without "DataSource"/"Source".</summary>
    public PluginCatalog AddDataSource(Type sourceType)
    {
        dataSources.Add(DataSourceDescriptor.Of(sourceType)
                        ?? throw new ArgumentException($"{sourceType.FullName} is not a concrete IDataSource of a plugin.", nameof(sourceType)));
        return this;
    }

    /// <summary>
    /// Builds every callback of the recipe's <c>Callbacks</c> list, in order; throws <see cref="RecipeException"/>
    /// listing every unknown type and invalid option.
    /// </summary>
    public IReadOnlyList<TrainingCallback> CreateCallbacks(IConfiguration configuration)
    {
        var errors = new List<string>();
        var built = new List<TrainingCallback>();
        foreach (var entry in configuration.GetSection("Callbacks").GetChildren())
        {
            var path = $"Callbacks:{entry.Key}";
            var typeName = entry["Type"];
            if (string.IsNullOrWhiteSpace(typeName))
            {
                errors.Add($"{path}:Type is required: name the plugin (run 'trainer plugins' to list them).");
                continue;
            }
            if (!callbacks.TryGet(typeName, out var plugin))
            {
                errors.Add(callbacks.NotKnown($"{path}:Type", typeName));
                continue;
            }
            if (CreateCallback(plugin, entry.GetSection("Options"), $"{path}:Options", errors) is { } callback) built.Add(callback);
        }
        if (errors.Count > 0) throw new RecipeException(errors);
        return built;
    }

    /// <summary>The callback <paramref name="plugin"/> describes; a plugin schedule is run by a <see cref="ScheduleCallback"/>.</summary>
    private static TrainingCallback? CreateCallback(PluginDescriptor plugin, IConfigurationSection options, string path, List<string> errors)
    {
        var instance = PluginActivator.Create(plugin, options, path, errors);
        if (plugin.ScheduleType is null) return (TrainingCallback?)instance;
        return instance is ILearningRateSchedule schedule ? new ScheduleCallback(schedule) : null;
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
        if (!models.TryGet(name, out var model)) throw new RecipeException(models.NotKnown("Model:Type", name));
        var errors = new List<string>();
        var factory = PluginActivator.Create(model, configuration.GetSection("Model:Options"), "Model:Options", errors);
        if (errors.Count > 0) throw new RecipeException(errors);
        return (IModelFactory)factory!;
    }

    /// <summary>
    /// The plugin data source named by <c>Data:Source</c>, built with <c>Data:Options</c>; null when the name is a built-in
    /// source (<see cref="DataPipeline.BuiltInSources"/>, which win over a plugin of the same name). Throws
    /// <see cref="RecipeException"/> for an unknown name (listing every available one), options given to a built-in source,
    /// invalid options, or a plugin whose <see cref="IDataSource.Name"/> is not its recipe name.
    /// </summary>
    public IDataSource? CreateDataSource(IConfiguration configuration)
    {
        var name = configuration["Data:Source"] ?? new DataOptions().Source;
        var options = configuration.GetSection("Data:Options");
        if (DataPipeline.BuiltInSources.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
            return options.Exists()
                ? throw new RecipeException($"Data:Options belongs to a plugin data source; the built-in source '{name}' takes its settings in Data. Remove Data:Options.")
                : null;
        if (!dataSources.TryGet(name, out var plugin))
            throw new RecipeException($"Data:Source '{name}' is not supported; use one of: {string.Join(", ", DataSourceNames)}" +
                                      (dataSources.Count == 0 ? " (no plugin data source is loaded: list the plugin's assembly under Plugins)." : "."));
        var errors = new List<string>();
        var source = (IDataSource?)PluginActivator.Create(plugin, options, "Data:Options", errors);
        if (errors.Count > 0) throw new RecipeException(errors);
        if (!string.Equals(source!.Name, plugin.Name, StringComparison.OrdinalIgnoreCase))
            throw new RecipeException($"Data:Source '{name}': {plugin.SourceType.FullName}.Name is '{source.Name}', not its recipe name '{plugin.Name}'; " +
                                      "return the [DataSourceName] name from Name.");
        return source;
    }

    /// <summary>The losses plugins provide (<c>Task:Loss</c>), by name.</summary>
    public IReadOnlyList<LossDescriptor> Losses => losses.All;

    /// <summary>The metrics plugins provide (<c>Task:Metrics</c>), by name.</summary>
    public IReadOnlyList<MetricDescriptor> Metrics => metrics.All;

    /// <summary>
    /// The losses and metrics a recipe's <c>Task</c> can name: the built-in ones and the plugins'; throws
    /// <see cref="RecipeException"/> when a plugin's class cannot be built or its <c>Name</c> is not its recipe name.
    /// </summary>
    public Trainer.Tasks.TaskCatalog CreateTaskCatalog()
    {
        var catalog = Trainer.Tasks.TaskCatalog.BuiltIn;
        foreach (var loss in losses.All)
        {
            var type = loss.LossType;
            _ = Build<Trainer.Tasks.ILoss>(type, loss.Name, "Task:Loss"); // checked once here; each run builds its own
            catalog = catalog.WithLoss(loss.Name, _ => (Trainer.Tasks.ILoss)Activator.CreateInstance(type)!);
        }
        foreach (var metric in metrics.All) catalog = catalog.WithMetric(Build<Trainer.Tasks.IMetric>(metric.MetricType, metric.Name, "Task:Metrics"));
        return catalog;
    }

    private static T Build<T>(Type type, string name, string path) where T : class
    {
        T instance;
        try
        {
            instance = (T)Activator.CreateInstance(type)!;
        }
        catch (Exception e) when (e is MissingMethodException or System.Reflection.TargetInvocationException)
        {
            throw new RecipeException($"{path} '{name}': {type.FullName} needs a public parameterless constructor that succeeds ({(e.InnerException ?? e).Message}).");
        }
        var own = instance is Trainer.Tasks.ILoss l ? l.Name : ((Trainer.Tasks.IMetric)instance).Name;
        if (!string.Equals(own, name, StringComparison.OrdinalIgnoreCase))
            throw new RecipeException($"{path} '{name}': {type.FullName}.Name is '{own}', not its recipe name '{name}'; return the same name from Name.");
        return instance;
    }

    /// <summary>Every name <c>Data:Source</c> accepts: the built-in sources, then the plugins' (by name).</summary>
    public IReadOnlyList<string> DataSourceNames =>
        [.. DataPipeline.BuiltInSources.Select(s => s.Name), .. dataSources.Names.Where(n => !DataPipeline.BuiltInSources.Any(s => string.Equals(s.Name, n, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>
    /// Builds the plugin sampler named <paramref name="name"/> with <paramref name="options"/>; null when no plugin has
    /// that name. Problems are added to <paramref name="errors"/> under <c>Search:Sampler:Options</c>.
    /// </summary>
    public ISampler? CreateSampler(string name, IConfigurationSection options, List<string> errors)
    {
        if (!samplers.TryGet(name, out var sampler)) return null;
        // Messages name the sampler as the recipe spells it.
        return (ISampler?)PluginActivator.Create(sampler with { Name = name }, options, "Search:Sampler:Options", errors);
    }
}
