using System.CommandLine;
using Trainer.Hosting;
using Trainer.Reports;
using Trainer.Search;
using Trainer.Recipes;

namespace Trainer.Cli.Commands;

/// <summary>
/// <c>trainer report RUN_DIR [--out FILE]</c>: the HTML report of a run or experiment directory.
/// <c>trainer report --study NAME [--storage sqlite:PATH] [--html FILE]</c>: a study's best trial and top ten, from the
/// store, at any time; with --html also as an HTML page.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var directory = new Argument<string?>("run-dir")
        {
            Description = "A run directory (runs/<run-id>) or an experiment directory: writes its HTML report, report.html inside it by default.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var outFile = new Option<string?>("--out") { Description = "With RUN_DIR: the HTML file to write. Default: RUN_DIR/report.html." };
        var study = new Option<string?>("--study") { Description = "The study's name (Search:Study): prints its trials, best first." };
        var storage = new Option<string?>("--storage") { Description = "With --study: the study store, sqlite:PATH or postgres:CONNECTION. Default: sqlite:runs/studies.db." };
        var html = new Option<string?>("--html") { Description = "With --study: also write the study as an HTML report to this file." };
        var command = new Command("report", "Write the HTML report of a run or experiment directory, or print a study's trials (also while it runs).")
        {
            directory, outFile, study, storage, html,
        };
        command.SetAction(parse =>
        {
            try
            {
                var runDirectory = parse.GetValue(directory);
                var name = parse.GetValue(study);
                var studyOnly = new[] { (storage.Name, parse.GetValue(storage)), (html.Name, parse.GetValue(html)) }.Where(o => o.Item2 is not null).Select(o => o.Name).ToList();
                if (runDirectory is not null && name is not null)
                    throw new RecipeException("give either RUN_DIR or --study, not both: 'trainer report RUN_DIR' or 'trainer report --study NAME'.");
                if (runDirectory is null && name is null)
                    throw new RecipeException("nothing to report: give a run directory ('trainer report runs/<run-id>') or a study ('trainer report --study NAME').");
                if (runDirectory is not null)
                {
                    if (studyOnly.Count > 0)
                        throw new RecipeException($"{studyOnly[0]} goes with --study; for RUN_DIR, choose the file with --out FILE.");
                    output.WriteLine(HtmlReport.Write(runDirectory, parse.GetValue(outFile)));
                    return ExitCodes.Completed;
                }
                if (parse.GetValue(outFile) is not null)
                    throw new RecipeException("--out goes with RUN_DIR; for --study, choose the HTML file with --html FILE.");
                return Study(name!, parse.GetValue(storage), parse.GetValue(html), output);
            }
            catch (RecipeException e)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    private static int Study(string name, string? storage, string? html, TextWriter output)
    {
        using var store = SearchRunner.OpenStore(storage);
        if (StoredStudy.Load(store, name) is not { } loaded)
            throw new RecipeException($"Study '{name}' is not in the store; run 'trainer search' first, or give --storage.");
        var (spec, trials) = loaded;
        var page = html is null ? null : StudyHtmlReport.Write(html, spec, trials); // first, so a bad --html fails before any output
        StudyReport.Print(output, spec, trials);
        foreach (var running in trials.Where(t => t.State == TrialState.Running))
            output.WriteLine($"  running: trial {running.Number}, {StudyReport.Parameters(running)}");
        ImportanceTable.Print(output, spec, trials);
        if (page is not null) output.WriteLine(page);
        return ExitCodes.Completed;
    }
}
