using System.CommandLine;
using Trainer.Data;
using Trainer.Hosting;
using Trainer.Hosting.Plugins;
using Trainer.Recipes;

namespace Trainer.Cli.Commands;

/// <summary><c>trainer plugins</c>: the callbacks, models, data sources, losses and metrics recipes can name, with their options and defaults.</summary>
internal static class PluginsCommand
{
    public static Command Create(Lazy<PluginCatalog> catalog, TextWriter output, TextWriter error)
    {
        var from = new Option<string[]>("--plugin")
        {
            Description = "Also load this plugin assembly or folder (as a recipe's Plugins list does); repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("plugins", "List the callbacks, models, data sources, losses and metrics a recipe can use, with their options and defaults.") { from };
        command.SetAction(parse =>
        {
            PluginCatalog all;
            try
            {
                var paths = parse.GetValue(from) ?? [];
                all = paths.Length == 0 ? catalog.Value : catalog.Value.WithPlugins(paths.Select(p => ($"--plugin {p}", p)), Directory.GetCurrentDirectory());
            }
            catch (RecipeException e)
            {
                foreach (var line in e.Errors) error.WriteLine($"error: {line}");
                return ExitCodes.InvalidInput;
            }
            var plugins = all.Plugins;
            if (plugins.Count == 0)
                output.WriteLine("No callback plugins are installed (Trainer.Plugins.*.dll beside the trainer program).");
            foreach (var plugin in plugins)
            {
                output.WriteLine($"{plugin.Name}  ({(plugin.ScheduleType ?? plugin.CallbackType).FullName}, {plugin.AssemblyName}){(plugin.ScheduleType is null ? "" : "  learning-rate schedule")}");
                WriteOptions(output, plugin.Options);
            }
            foreach (var model in all.Models)
            {
                output.WriteLine($"model {model.Name}  ({model.FactoryType.FullName}, {model.AssemblyName}; \"Model\": {{ \"Type\": \"{model.Name}\", \"Options\": {{…}} }})");
                WriteOptions(output, model.Options);
            }
            foreach (var builtIn in DataPipeline.BuiltInSources)
                output.WriteLine($"data source {builtIn.Name}  (built-in; \"Data\": {{ \"Source\": \"{builtIn.Name}\" }}, settings in Data)");
            foreach (var dataSource in all.DataSources)
            {
                var shadowed = DataPipeline.BuiltInSources.Any(b => string.Equals(b.Name, dataSource.Name, StringComparison.OrdinalIgnoreCase));
                output.WriteLine($"data source {dataSource.Name}  ({dataSource.SourceType.FullName}, {dataSource.AssemblyName}; " +
                                 $"\"Data\": {{ \"Source\": \"{dataSource.Name}\", \"Options\": {{…}} }}){(dataSource.Streaming ? "  streaming" : "")}" +
                                 (shadowed ? "  (hidden by the built-in source of that name)" : ""));
                WriteOptions(output, dataSource.Options);
            }
            var tasks = Trainer.Tasks.TaskCatalog.BuiltIn;
            output.WriteLine($"losses (Task:Loss): {string.Join(", ", tasks.LossNames.Order(StringComparer.Ordinal))} built in" +
                             (all.Losses.Count > 0 ? $"; {string.Join(", ", all.Losses.Select(l => $"{l.Name} ({l.LossType.FullName}, {l.AssemblyName})"))}" : ""));
            output.WriteLine($"metrics (Task:Metrics): {string.Join(", ", tasks.MetricNames.Order(StringComparer.Ordinal))}, topK_accuracy built in" +
                             (all.Metrics.Count > 0 ? $"; {string.Join(", ", all.Metrics.Select(m => $"{m.Name} ({m.MetricType.FullName}, {m.AssemblyName})"))}" : ""));
            if (all.Samplers.Count > 0)
                output.WriteLine($"samplers (Search:Sampler:Type): {string.Join(", ", all.Samplers)}");
            return 0;
        });
        return command;
    }

    private static void WriteOptions(TextWriter output, IReadOnlyList<PluginOption> options)
    {
        foreach (var option in options)
            output.WriteLine($"    {option.Name,-22} {option.Type,-12} default {option.Default}{(option.Description is null ? "" : "  " + option.Description)}");
    }
}
