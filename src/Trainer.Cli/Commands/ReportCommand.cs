using System.CommandLine;
using Trainer.Hosting;
using Trainer.Hosting.Search;
using Trainer.Recipes;
using Trainer.Search;

namespace Trainer.Cli.Commands;

/// <summary><c>trainer report --study NAME [--storage sqlite:PATH]</c>: a study's best trial and top ten, from the store, at any time.</summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var study = new Option<string>("--study") { Description = "The study's name (Search:Study).", Required = true };
        var storage = new Option<string?>("--storage") { Description = "The study store: sqlite:PATH or postgres:CONNECTION. Default: sqlite:runs/studies.db." };
        var command = new Command("report", "Print a study's trials, best first, from its store (also while it runs).") { study, storage };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(study)!;
            try
            {
                using var store = SearchRunner.OpenStore(parse.GetValue(storage));
                if (store.Study(name) is not { } info)
                    throw new RecipeException($"Study '{name}' is not in the store; run 'trainer search' first, or give --storage.");
                var trials = store.Trials(name);
                var keys = trials.SelectMany(t => t.Parameters.Keys).Distinct().ToList();
                var spec = new SearchSpec
                {
                    Study = name, Objective = info.Objective, Maximize = info.Maximize, Trials = trials.Count, Seed = 0,
                    Space = keys.Select(k => (k, (IDistribution)new UniformDistribution(0, 1))).ToList(), Sampler = new RandomSampler(), Pruner = "None",
                };
                StudyReport.Print(output, spec, trials);
                foreach (var running in trials.Where(t => t.State == TrialState.Running))
                    output.WriteLine($"  running: trial {running.Number}, {StudyReport.Parameters(running)}");
                return ExitCodes.Completed;
            }
            catch (RecipeException e)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }
}
