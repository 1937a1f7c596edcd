using System.CommandLine;
using Trainer.Hosting;
using Trainer.Hosting.Configuration;
using Trainer.Hosting.Experiments;
using Trainer.Hosting.Plugins;
using Trainer.Recipes;

namespace Trainer.Cli.Commands;

/// <summary><c>trainer run [RECIPE] [--run-dir DIR] [--Section:Key=value ...]</c>.</summary>
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
        var command = new Command("run", "Train a recipe (or each variant of an experiment recipe). Extra arguments override recipe values: --Training:Epochs=5 --Optimizer:LearningRate=0.01.")
        {
            recipe,
            runDirectory,
            resume,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            RecipeSource source;
            bool isExperiment;
            try
            {
                var path = parse.GetValue(recipe);
                source = RecipeArgument.Resolve(path);
                isExperiment = ExperimentSpecParser.IsExperiment(source);
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
                return await new ExperimentRunner(catalog.Value, output, error).RunAsync(experiment, cancellation).ConfigureAwait(false);
            }
            var request = new RunRequest
            {
                Recipe = source,
                RunDirectory = parse.GetValue(runDirectory),
                Resume = parse.GetValue(resume),
                Overrides = overrides,
                LiveProgress = true,
            };
            return await new TrainerApplication(catalog.Value, error).RunAsync(request, cancellation).ConfigureAwait(false);
        });
        return command;
    }
}
