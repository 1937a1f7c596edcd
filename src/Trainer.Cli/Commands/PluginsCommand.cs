using System.CommandLine;
using Trainer.Hosting.Plugins;

namespace Trainer.Cli.Commands;

/// <summary><c>trainer plugins</c>: the callback types recipes can name, with their options and defaults.</summary>
internal static class PluginsCommand
{
    public static Command Create(Lazy<PluginCatalog> catalog, TextWriter output)
    {
        var command = new Command("plugins", "List the callback plugins a recipe can use, with their options and defaults.");
        command.SetAction(_ =>
        {
            var plugins = catalog.Value.Plugins;
            if (plugins.Count == 0)
            {
                output.WriteLine("No callback plugins are installed (Trainer.Plugins.*.dll beside the trainer program).");
                return 0;
            }
            foreach (var plugin in plugins)
            {
                output.WriteLine($"{plugin.Name}  ({plugin.CallbackType.FullName}, {plugin.AssemblyName})");
                foreach (var option in plugin.Options)
                    output.WriteLine($"    {option.Name,-22} {option.Type,-12} default {option.Default}{(option.Description is null ? "" : "  " + option.Description)}");
            }
            return 0;
        });
        return command;
    }
}
