using System.CommandLine;
using Trainer.Cli.Commands;
using Trainer.Hosting.Plugins;

namespace Trainer.Cli;

/// <summary>The <c>trainer</c> command line: <c>run</c>, <c>plugins</c> and <c>gradcheck</c>.</summary>
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
        var (commandArgs, overrides) = SplitOverrides(args);
        var root = new RootCommand("Trainer: train deep-learning recipes on TorchSharp as long-running services.")
        {
            RunCommand.Create(plugins, error, overrides),
            PluginsCommand.Create(plugins, output),
            GradientCheckCommand.Create(output, error, overrides),
        };
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return root.Parse(commandArgs).InvokeAsync(configuration);
    }

    /// <summary>
    /// Takes configuration overrides (<c>--Section:Key=value</c> or <c>--Section:Key value</c>: a double dash and a
    /// colon-separated path) out of the arguments, so that the parser never mistakes one for the recipe argument.
    /// </summary>
    internal static (string[] CommandArgs, List<string> Overrides) SplitOverrides(string[] args)
    {
        var rest = new List<string>();
        var overrides = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var token = args[i];
            var key = token.Split('=', 2)[0];
            if (!token.StartsWith("--", StringComparison.Ordinal) || !key.Contains(':'))
            {
                rest.Add(token);
                continue;
            }
            overrides.Add(token);
            if (!token.Contains('=') && i + 1 < args.Length) overrides.Add(args[++i]);
        }
        return (rest.ToArray(), overrides);
    }
}
