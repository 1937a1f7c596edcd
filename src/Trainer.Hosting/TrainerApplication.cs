using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Trainer.Hosting.Logging;
using Trainer.Hosting.Plugins;
using Trainer.Hosting.Terminal;
using Trainer.Recipes;

namespace Trainer.Hosting;

/// <summary>
/// Runs a recipe as a Generic Host service: checks the input, creates the run directory and logger, hosts
/// <see cref="TrainingService"/> until training ends or the host is stopped, and returns the exit code.
/// </summary>
public sealed class TrainerApplication(PluginCatalog catalog, TextWriter error)
{
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

        await using var live = request.Console && request.LiveProgress && LiveProgress.IsSupported ? LiveProgress.Start(run.Recipe.Name) : null;
        if (live is not null) run = run.WithCallback(live.CreateCallback());
        await using var logger = RunLogger.Create(run.Configuration, run.Run.RunId, run.Run.Directory, request.Console, live?.LogWriter);
        using var host = request.HostFactory?.CreateHost(run, logger) ?? CreateHost(run, logger);
        using var secondInterrupt = SecondInterruptExits(logger);
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

    /// <summary>
    /// Gives back what one run held before the next starts in the same process (a search's trials, an experiment's
    /// variants): the data set's host arrays live on the large-object heap until a full, compacting collection.
    /// </summary>
    /// <param name="keepWorkingSpace">
    /// Keep the garbage collector's working space committed (a run about to train in this process), rather than
    /// decommitting everything (between a search's trials): recommitting it during training would look like growth.
    /// </param>
    public static void ReleaseMemory(bool keepWorkingSpace = false)
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        if (OperatingSystem.IsLinux())
        {
            try { _ = MallocTrim(0); } // glibc keeps freed tensor memory mapped unless asked to give it back
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { /* not glibc (musl): nothing to trim */ }
        }
        if (keepWorkingSpace) CommitAllocationBudget();
    }

    /// <summary>
    /// Allocates short-lived objects until the next young-generation collection, so the collector commits the memory it
    /// allocates into now instead of during the first epochs (where it would look like growth), at most 64 MB.
    /// </summary>
    private static void CommitAllocationBudget()
    {
        var collections = GC.CollectionCount(0);
        for (var allocated = 0L; GC.CollectionCount(0) == collections && allocated < 64L << 20; allocated += 8192)
            GC.KeepAlive(new byte[8192 - 24]);
    }

    /// <summary>
    /// Ends the process at once. On POSIX without running exit handlers: libtorch's static destructors would otherwise
    /// run while the training thread is still inside a libtorch call, and the process would die of SIGSEGV (139).
    /// </summary>
    private static void ExitNow(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (!OperatingSystem.IsWindows())
        {
            try { PosixExit(code); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { /* fall back below */ }
        }
        Environment.Exit(code);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "_exit")]
    private static extern void PosixExit(int status);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    /// <summary>
    /// The first Ctrl+C (SIGINT) asks the host to stop after the current batch, writing a checkpoint and the summary;
    /// a second one exits at once with code 130. Null where POSIX signals are not supported.
    /// </summary>
    private static IDisposable? SecondInterruptExits(Serilog.ILogger logger)
    {
        var interrupts = 0;
        try
        {
            return System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, context =>
            {
                if (Interlocked.Increment(ref interrupts) < 2)
                {
                    // The host's console lifetime handles the first one; say it arrived, as the batch may take a while.
                    logger.Warning("Interrupt received: stopping after the current batch (Ctrl+C again exits at once)");
                    return;
                }
                logger.Warning("Second interrupt: exiting at once without waiting for the current batch");
                (logger as IDisposable)?.Dispose();
                ExitNow(ExitCodes.Interrupted);
            });
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
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
