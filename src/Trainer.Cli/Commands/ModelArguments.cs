using System.Text;
using Microsoft.Extensions.Configuration;
using Trainer.Data;
using Trainer.Hosting.Plugins;
using Trainer.Inference;

namespace Trainer.Cli.Commands;

/// <summary>Loads the model a command names, with the plugins its package was trained with (a plugin model, data source, loss or metric).</summary>
internal static class ModelArguments
{
    /// <summary>Loads <paramref name="path"/> (a package, a run directory or a checkpoint); throws RecipeException for a user's mistake.</summary>
    public static TrainedModel Load(string path, Lazy<PluginCatalog> catalog)
    {
        var directory = ModelPackage.Locate(path);
        var manifest = ModelPackage.ReadManifest(directory, verifyWeights: false); // TrainedModel.Load checks the weights, once
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(manifest.RecipeJson.ToJsonString()))).Build();
        var builtIn = DataPipeline.BuiltInSources.Any(s => string.Equals(s.Name, configuration["Data:Source"] ?? new Recipes.DataOptions().Source, StringComparison.OrdinalIgnoreCase));
        if (manifest.Architecture.Type is null && builtIn && configuration["Task:Loss"] is null && !configuration.GetSection("Task:Metrics").Exists())
            return TrainedModel.Load(path);
        var plugins = catalog.Value.ForConfiguration(configuration, Path.GetDirectoryName(directory) ?? directory);
        if (manifest.Architecture.Type is { } type && !plugins.Models.Any(m => string.Equals(m.Name, type, StringComparison.OrdinalIgnoreCase)))
            throw new Recipes.RecipeException($"Model '{path}' was trained with the plugin model '{type}' ({manifest.Architecture.Factory} in " +
                                              $"{manifest.Architecture.Assembly}.dll), which is not loaded: put that assembly in the plugins folder (or list it in the recipe's Plugins).");
        var source = plugins.CreateDataSource(configuration);
        return TrainedModel.Load(path, new TrainedModelOptions
        {
            ModelFactory = manifest.Architecture.Type is null ? null : plugins.CreateModelFactory(configuration),
            DataSources = source is null ? null : [.. DataPipeline.BuiltInSources, source],
            Tasks = plugins.CreateTaskCatalog(),
        });
    }
}
