using System.CommandLine;
using Trainer.Cli.Commands;
using Trainer.Hosting.Plugins;

namespace Trainer.Cli;

/// <summary>The <c>trainer</c> command line: <c>run</c> and <c>plugins</c>.</summary>
public static class TrainerCommandLine
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="output">Where normal output goes.</param>
    /// <param name="error">Where error messages go.</param>
    /// <param name="catalog">The plugin catalog; default: Trainer.Core and the Trainer.Plugins.*.dll beside the program.</param>
    public static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, PluginCatalog? catalog = null)
    {
        var plugins = new Lazy<PluginCatalog>(() => catalog ?? PluginCatalog.FromApplicationDirectory());
        var root = new RootCommand("Trainer: train deep-learning recipes on TorchSharp as long-running services.")
        {
            RunCommand.Create(plugins, error),
            PluginsCommand.Create(plugins, output),
        };
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return root.Parse(args).InvokeAsync(configuration);
    }
}
