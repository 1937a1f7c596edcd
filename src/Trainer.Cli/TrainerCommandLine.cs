using System.CommandLine;
using Trainer.Cli.Commands;
using Trainer.Hosting;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Plugins;
using Trainer.Recipes;

namespace Trainer.Cli;

/// <summary>
/// The <c>trainer</c> command line: <c>run</c>, <c>plugins</c>, <c>gradcheck</c>, <c>search</c>, <c>report</c>, <c>predict</c>, <c>evaluate</c>,
/// <c>dashboard</c>, <c>ctl</c>, <c>token</c>, <c>agent</c>, <c>submit</c> and <c>queue</c>.
/// </summary>
public static class TrainerCommandLine
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code (2 for a command-line mistake).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="output">Where normal output goes.</param>
    /// <param name="error">Where error messages go.</param>
    /// <param name="catalog">The plugin catalog; default: Trainer.Core and the Trainer.Plugins.*.dll beside the program.</param>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, PluginCatalog? catalog = null)
    {
        var plugins = new Lazy<PluginCatalog>(() => catalog ?? PluginCatalog.FromApplicationDirectory());
        var (commandArgs, overrides, overrideErrors) = SplitOverrides(args);
        var root = new RootCommand("Trainer: train deep-learning recipes on TorchSharp as long-running services.")
        {
            RunCommand.Create(plugins, output, error, overrides),
            PluginsCommand.Create(plugins, output, error),
            GradientCheckCommand.Create(plugins, output, error, overrides),
            SearchCommand.Create(plugins, output, error, overrides),
            ReportCommand.Create(output, error),
            PredictCommand.Create(plugins, output, error),
            EvaluateCommand.Create(plugins, output, error),
            DashboardCommand.Create(output, error),
            CtlCommand.Create(output, error),
            TokenCommand.Create(output),
            AgentCommand.Create(output, error),
            SubmitCommand.Create(output, error, overrides),
            QueueCommand.Create(output, error),
        };
        var parse = root.Parse(commandArgs);
        var errors = overrideErrors.Concat(parse.Errors.Select(e => Plain(e.Message))).ToList();
        if (errors.Count > 0)
        {
            foreach (var message in errors) await error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            await error.WriteLineAsync("Run 'trainer --help' for usage.").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        // Each run's Generic Host handles Ctrl+C and SIGTERM itself (checkpoint, summary, exit 130); System.CommandLine's
        // own handler would force the process out after 2 s, in the middle of writing them.
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes configuration overrides out of the arguments, so that the parser never mistakes one for the recipe
    /// argument: <c>--Section:Key=value</c>, <c>--Section:Key value</c>, or a top-level recipe key such as
    /// <c>--Name=x</c>. An override without a value is an error.
    /// </summary>
    internal static (string[] CommandArgs, List<string> Overrides, List<string> Errors) SplitOverrides(string[] args)
    {
        var rest = new List<string>();
        var overrides = new List<string>();
        var errors = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var token = args[i];
            var key = token.Split('=', 2)[0];
            if (!token.StartsWith("--", StringComparison.Ordinal) || !IsConfigurationKey(key[2..]))
            {
                rest.Add(token);
                continue;
            }
            if (token.Contains('='))
            {
                overrides.Add(token);
            }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                overrides.Add($"{token}={args[++i]}");
            }
            else
            {
                errors.Add($"{token} needs a value: write {token}=VALUE.");
            }
        }
        return (rest.ToArray(), overrides, errors);
    }

    /// <summary>System.CommandLine's conversion errors name .NET types; say what the option takes instead.</summary>
    internal static string Plain(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, @"^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'\.$");
        if (!match.Success) return message;
        var type = match.Groups[3].Value;
        var wanted = type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Double", StringComparison.Ordinal) ? "a number"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : "a valid value";
        return $"{match.Groups[2].Value} '{match.Groups[1].Value}' is not {wanted}.";
    }

    private static bool IsConfigurationKey(string key) =>
        key.Contains(':') ||
        // "--data" is trainer evaluate's option; the Data section's keys are written --Data:Source=...
        (typeof(RecipeOptions).GetProperties().Any(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase)) && !key.Equals("data", StringComparison.Ordinal)) ||
        // "--serve" is trainer run's option; the Serve section's keys are written --Serve:Urls=...
        (RecipeBinder.OtherSections.Contains(key) && !key.Equals("serve", StringComparison.OrdinalIgnoreCase));
}
