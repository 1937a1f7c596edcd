using System.CommandLine;
using Trainer.Hosting;
using Trainer.Hosting.Plugins;
using Trainer.Recipes;

namespace Trainer.Cli.Commands;

/// <summary><c>trainer plugins</c>: the callback types recipes can name, with their options and defaults.</summary>
internal static class PluginsCommand
{
    public static Command Create(Lazy<PluginCatalog> catalog, TextWriter output, TextWriter error)
    {
        var from = new Option<string[]>("--plugin")
        {
            Description = "Also load this plugin assembly or folder (as a recipe's Plugins list does); repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("plugins", "List the callbacks and models a recipe can use, with their options and defaults.") { from };
        command.SetAction(parse =>
        {
            PluginCatalog all;
            try
            {
                var paths = parse.GetValue(from) ?? [];
                all = paths.Length == 0 ? catalog.Value : catalog.Value.With(LoadAll(paths));
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
                foreach (var option in plugin.Options)
                    output.WriteLine($"    {option.Name,-22} {option.Type,-12} default {option.Default}{(option.Description is null ? "" : "  " + option.Description)}");
            }
            foreach (var model in all.Models)
            {
                output.WriteLine($"model {model.Name}  ({model.FactoryType.FullName}, {model.AssemblyName}; \"Model\": {{ \"Type\": \"{model.Name}\", \"Options\": {{…}} }})");
                foreach (var option in model.Options)
                    output.WriteLine($"    {option.Name,-22} {option.Type,-12} default {option.Default}{(option.Description is null ? "" : "  " + option.Description)}");
            }
            if (all.Samplers.Count > 0)
                output.WriteLine($"samplers (Search:Sampler:Type): {string.Join(", ", all.Samplers)}");
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<System.Reflection.Assembly> LoadAll(string[] paths)
    {
        var errors = new List<string>();
        var assemblies = PluginAssemblyLoader.Load(paths.Select((p, i) => ($"--plugin {p}", p)), Directory.GetCurrentDirectory(), errors);
        if (errors.Count > 0) throw new RecipeException(errors);
        return assemblies;
    }
}
