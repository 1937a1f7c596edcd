using System.CommandLine;
using System.Reflection;
using Trainer.Hosting;
using Trainer.Hosting.Plugins;
using Trainer.Search;
using Trainer.Recipes;

namespace Trainer.Cli.Commands;

/// <summary><c>trainer search RECIPE [--trials N] [--workers W] [--storage sqlite:PATH] [--out DIR] [--Section:Key=value ...]</c>.</summary>
internal static class SearchCommand
{
    public static Command Create(Lazy<PluginCatalog> catalog, TextWriter output, TextWriter error, IReadOnlyList<string> overrides)
    {
        var recipe = new Argument<string>("recipe") { Description = "A recipe with a Search section." };
        var trials = new Option<int?>("--trials") { Description = "The study's budget of finished trials (default: Search:Trials). Re-running resumes the study." };
        var workers = new Option<int>("--workers") { Description = "Worker processes sharing the study. Default: 1.", DefaultValueFactory = _ => 1 };
        var storage = new Option<string?>("--storage") { Description = "The study store: sqlite:PATH or postgres:CONNECTION. Default: sqlite:runs/studies.db." };
        var output_ = new Option<string?>("--out") { Description = "The study's folder. Default: runs/studies/<study>." };
        var child = new Option<bool>("--child-worker") { Hidden = true };
        var command = new Command("search", "Search hyperparameters: random or coarse-to-fine sampling on each parameter's own scale, with pruning.")
        {
            recipe, trials, workers, storage, output_, child,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            Hosting.Configuration.RecipeSource source;
            try
            {
                source = RecipeArgument.Resolve(parse.GetValue(recipe));
            }
            catch (RecipeException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            var request = new SearchRequest
            {
                Recipe = source, Overrides = overrides, Trials = parse.GetValue(trials), Workers = parse.GetValue(workers),
                Storage = parse.GetValue(storage) ?? NullIfEmpty(Environment.GetEnvironmentVariable(SearchRunner.StorageVariable)),
                OutDirectory = parse.GetValue(output_), ChildWorker = parse.GetValue(child),
            };
            var recipePath = Path.GetFullPath(parse.GetValue(recipe)!);
            // Ctrl+C and SIGTERM stop the whole search whenever they come, between trials too, however often they come:
            // every worker ends its trial after the batch, stores it as interrupted, and the study files are written.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            using var terminate = StopOn(System.Runtime.InteropServices.PosixSignal.SIGTERM, stop);
            using var interrupt = StopOn(System.Runtime.InteropServices.PosixSignal.SIGINT, stop);
            return await new SearchRunner(catalog.Value, output, error, TrainerFeatures.Runs, TrainerFeatures.Plotter).RunAsync(request, workerCount =>
                [.. Program(), "search", recipePath, "--workers", workerCount, "--child-worker",
                 .. (request.Trials is { } n ? new[] { "--trials", n.ToString(System.Globalization.CultureInfo.InvariantCulture) } : []), .. overrides],
                stop.Token).ConfigureAwait(false);
        });
        return command;
    }

    private static System.Runtime.InteropServices.PosixSignalRegistration? StopOn(System.Runtime.InteropServices.PosixSignal signal, CancellationTokenSource stop)
    {
        try
        {
            return System.Runtime.InteropServices.PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true; // the search ends itself, writing its files; the default would end the process now
                stop.Cancel();
            });
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <summary>How to start this program again: the apphost, or <c>dotnet trainer.dll</c>.</summary>
    private static string[] Program()
    {
        var process = Environment.ProcessPath!;
        var entry = Assembly.GetEntryAssembly()!.Location;
        return Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? [process, entry] : [process];
    }
}
