using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Trainer.Hosting.Logging;
using Trainer.Hosting.Plugins;
using Trainer.Hosting.Features;
using Trainer.Hosting.Platform;
using Trainer.Recipes;

namespace Trainer.Hosting;

/// <summary>
/// Runs a recipe as a Generic Host service: checks the input, creates the run directory and logger, hosts
/// <see cref="TrainingService"/> until training ends or the host is stopped, and returns the exit code.
/// </summary>
/// <param name="catalog">The plugins recipes may name.</param>
/// <param name="error">Where user errors go, one line each.</param>
/// <param name="features">Plots and a live display, when present (default: <see cref="RunFeatures.None"/>).</param>
public sealed class TrainerApplication(PluginCatalog catalog, TextWriter error, RunFeatures? features = null)
{
    private readonly RunFeatures features = features ?? RunFeatures.None;

    /// <summary>Runs <paramref name="request"/>; returns an <see cref="ExitCodes"/> value. User errors print one line each to the error writer.</summary>
    public async Task<int> RunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        PreparedRun run;
        try
        {
            run = PreparedRun.Prepare(request, catalog);
        }
        catch (RecipeException e)
        {
            foreach (var line in e.Errors) await error.WriteLineAsync($"error: {line}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        run = run.WithPlotter(features.Plotter);
        await using var live = request.Console && request.LiveProgress && features.LiveDisplay is { IsSupported: true } display
            ? display.Start(run.Recipe.Name) : null;
        if (live is not null) run = run.WithCallback(live.CreateCallback());
        await using var logger = RunLogger.Create(run.Configuration, run.Run.RunId, run.Run.Directory, request.Console, live?.LogWriter);
        using var host = request.HostFactory?.CreateHost(run, logger) ?? CreateHost(run, logger);
        using var secondInterrupt = InterruptSignals.SecondInterruptExits(logger);
        var outcome = host.Services.GetRequiredService<RunOutcome>();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // A server in the host (trainer run --serve) could not listen, e.g. the port is taken.
            logger.Error("The run's host could not start: {Error}", e.Message);
            await error.WriteLineAsync($"error: the run could not start: {e.Message}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return outcome.ExitCode;
    }

    /// <summary>Builds the host of a prepared run: Serilog, the training service, console / systemd / Windows-service lifetimes.</summary>
    public static IHost CreateHost(PreparedRun run, Serilog.ILogger logger)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            Configuration = new ConfigurationManager(),
        });
        AddRunServices(builder, run, logger);
        return builder.Build();
    }

    /// <summary>
    /// Adds what a run's host needs to <paramref name="builder"/>: the run's configuration, Serilog, the run, its
    /// <see cref="RunOutcome"/>, <see cref="TrainingService"/>, the shutdown policy and the console / systemd /
    /// Windows-service lifetimes. A <see cref="Control.TrainingControl"/> registered in the services steers the run.
    /// </summary>
    public static void AddRunServices(IHostApplicationBuilder builder, PreparedRun run, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddConfiguration(run.Configuration);
        builder.Services.AddSerilog(logger, dispose: false);
        builder.Services.AddSingleton(run);
        builder.Services.AddSingleton<RunOutcome>();
        builder.Services.AddHostedService<TrainingService>();
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(30);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService();
    }
}
