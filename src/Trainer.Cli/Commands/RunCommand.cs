using System.CommandLine;
using Trainer.Hosting;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Experiments;
using Trainer.Hosting.Plugins;
using Trainer.Recipes;
using Trainer.Serving;

namespace Trainer.Cli.Commands;

/// <summary><c>trainer run [RECIPE] [--run-dir DIR] [--resume] [--serve [URL]] [--base-dir DIR] [--Section:Key=value ...]</c>.</summary>
internal static class RunCommand
{
    public static Command Create(Lazy<PluginCatalog> catalog, TextWriter output, TextWriter error, IReadOnlyList<string> overrides)
    {
        var recipe = new Argument<string?>("recipe")
        {
            Description = "The recipe JSON file. Without it, the embedded quickstart recipe (an MLP on the embedded digits data) runs.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var runDirectory = new Option<string?>("--run-dir")
        {
            Description = "The run directory. Default: runs/<run-id> under the working directory.",
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue the run in --run-dir from its latest valid checkpoint (needs a Checkpoint callback).",
        };
        var serve = new Option<string?>("--serve")
        {
            Description = "Serve the live run over HTTP (status, events, control: see 'trainer ctl'). URL default: Serve:Urls, else " +
                          "http://127.0.0.1:0 (loopback, a free port; the address goes to RUN_DIR/endpoint.json). Listening beyond loopback needs Serve:Token.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var baseDirectory = new Option<string?>("--base-dir")
        {
            Description = "The folder the recipe's relative paths (data, plugins) resolve against. Default: the recipe file's folder.",
        };
        var command = new Command("run", "Train a recipe (or each variant of an experiment recipe). Extra arguments override recipe values: --Training:Epochs=5 --Optimizer:LearningRate=0.01.")
        {
            recipe,
            runDirectory,
            resume,
            serve,
            baseDirectory,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            RecipeSource source;
            bool isExperiment;
            var serving = parse.GetResult(serve) is not null;
            var runOverrides = overrides;
            try
            {
                var path = parse.GetValue(recipe);
                source = RecipeArgument.Resolve(path);
                if (parse.GetValue(baseDirectory) is { } folder)
                {
                    if (!Directory.Exists(folder)) throw new RecipeException($"--base-dir '{folder}' is not a folder.");
                    source = RecipeSource.FromText(System.Text.Encoding.UTF8.GetString(source.Json), source.DisplayName, Path.GetFullPath(folder));
                }
                isExperiment = ExperimentSpecParser.IsExperiment(source);
                if (serving && isExperiment)
                    throw new RecipeException("--serve serves one run; an experiment runs several variants: run a variant's recipe on its own to serve it.");
                if (parse.GetValue(serve) is { } url)
                {
                    if (!url.Contains("://", StringComparison.Ordinal))
                        throw new RecipeException($"--serve '{url}' is not a URL; write --serve http://127.0.0.1:0 (or put --serve after the recipe).");
                    runOverrides = [.. overrides, $"--{ServeOptions.Section}:Urls={url}"];
                }
            }
            catch (RecipeException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            if (isExperiment)
            {
                var experiment = new ExperimentRequest
                {
                    Recipe = source,
                    RunDirectory = parse.GetValue(runDirectory),
                    Resume = parse.GetValue(resume),
                    Overrides = overrides,
                    LiveProgress = true,
                };
                return await new ExperimentRunner(catalog.Value, output, error, TrainerFeatures.Runs).RunAsync(experiment, cancellation).ConfigureAwait(false);
            }
            var request = new RunRequest
            {
                Recipe = source,
                RunDirectory = parse.GetValue(runDirectory),
                Resume = parse.GetValue(resume),
                Overrides = runOverrides,
                LiveProgress = true,
                HostFactory = new ServingHostFactory(serving),
            };
            return await new TrainerApplication(catalog.Value, error, TrainerFeatures.Runs).RunAsync(request, cancellation).ConfigureAwait(false);
        });
        return command;
    }
}
