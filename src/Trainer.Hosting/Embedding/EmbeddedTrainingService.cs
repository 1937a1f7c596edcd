using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trainer.Callbacks;
using Trainer.Hosting.Features;
using Trainer.Hosting.Plugins;
using Trainer.Hosting.Runs;
using Trainer.Recipes;

namespace Trainer.Hosting.Embedding;

/// <summary>
/// The hosted service <see cref="Microsoft.Extensions.DependencyInjection.TrainerServiceCollectionExtensions.AddTrainer"/> adds: checks the recipe, then trains
/// it like <c>trainer run</c> with the application's logging and with every <see cref="TrainingCallback"/> registered in
/// the service collection added after the recipe's callbacks; an <see cref="IRunPlotter"/> in the services draws its plots. An invalid recipe is logged (one error per problem) and
/// reported through <see cref="TrainerRun"/>; it does not crash the application.
/// </summary>
public sealed class EmbeddedTrainingService(
    IOptions<TrainerOptions> options, PluginCatalog catalog, IEnumerable<TrainingCallback> callbacks, TrainerRun result,
    IHostApplicationLifetime lifetime, ILoggerFactory loggers, IRunPlotter? plotter = null) : BackgroundService
{
    private readonly ILogger logger = loggers.CreateLogger("Trainer.Hosting");

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            PreparedRun run;
            try
            {
                var settings = options.Value;
                run = PreparedRun.Prepare(new RunRequest
                {
                    Recipe = settings.Source(), Overrides = [.. settings.Overrides], RunDirectory = settings.RunDirectory,
                    AppSettings = null, Console = false, ExtraCallbacks = [.. callbacks],
                }, catalog);
            }
            catch (RecipeException e)
            {
                foreach (var line in e.Errors) HostingLog.RecipeInvalid(logger, line);
                result.Finish(ExitCodes.InvalidInput, null, e.Errors);
                return;
            }
            var outcome = await new RunExecutor(loggers.CreateLogger("Trainer.Training"), plotter).ExecuteAsync(run, null, stoppingToken).ConfigureAwait(false);
            var summary = outcome.Summary!;
            result.Finish(outcome.ExitCode, summary, summary.Error is { } error && outcome.ExitCode == ExitCodes.InvalidInput ? [error] : []);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else went wrong (a plugin's constructor, the run directory), the awaiting application hears of it.
            HostingLog.RunFailed(logger, e.Message);
            result.Finish(ExitCodes.Failed, null, [e.Message]);
        }
        finally
        {
            result.Finish(ExitCodes.Interrupted, null, []); // no-op when already finished
            if (options.Value.StopApplicationWhenDone) lifetime.StopApplication();
        }
    }
}
