using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Settings.Configuration;

namespace Trainer.Hosting.Logging;

/// <summary>
/// Serilog for a run: human console output and <c>log.clef</c> (compact JSON) in the run directory, every event
/// carrying the RunId, plus whatever the configuration's <c>Serilog</c> section adds (levels, overrides, sinks).
/// </summary>
public static class RunLogger
{
    /// <summary>The file name of the structured log in a run directory.</summary>
    public const string FileName = Trainer.Runs.RunFiles.Log;

    /// <summary>The console template.</summary>
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}"; // stack traces go to log.clef only

    /// <summary>Checks the configuration's <c>Serilog</c> section by building a logger from it alone; throws <see cref="Trainer.Recipes.RecipeException"/>.</summary>
    public static void Validate(IConfiguration configuration)
    {
        if (!configuration.GetSection("Serilog").Exists()) return;
        try
        {
            using var logger = Apply(new LoggerConfiguration(), configuration).CreateLogger();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or InvalidCastException)
        {
            throw new Trainer.Recipes.RecipeException($"Serilog: {e.Message}");
        }
    }

    /// <summary>Creates the run's logger.</summary>
    /// <param name="configuration">The run's configuration (its <c>Serilog</c> section adds sinks and levels).</param>
    /// <param name="runId">The run id every event carries.</param>
    /// <param name="runDirectory">Where <c>log.clef</c> is written.</param>
    /// <param name="console">Whether human lines go to the console.</param>
    /// <param name="consoleWriter">Where those lines go instead of the process console (a live display's writer).</param>
    /// <param name="consoleFormatter">
    /// How those lines are written instead of <see cref="ConsoleTemplate"/> (journald's priority-prefixed lines under systemd);
    /// it keeps an event to its own lines itself. Default: the template, one escaped line per event.
    /// </param>
    public static Serilog.Core.Logger Create(IConfiguration configuration, string runId, string runDirectory, bool console = true, TextWriter? consoleWriter = null,
        Serilog.Formatting.ITextFormatter? consoleFormatter = null)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("RunId", runId)
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(runDirectory, FileName));
        // One line per event, whatever text a client or a recipe put into it.
        var human = consoleFormatter ?? new EscapingTextFormatter(new Serilog.Formatting.Display.MessageTemplateTextFormatter(ConsoleTemplate, System.Globalization.CultureInfo.InvariantCulture));
        if (console && consoleWriter is not null)
            logger.WriteTo.Sink(new TextWriterSink(consoleWriter, human));
        else if (console)
            logger.WriteTo.Console(human, standardErrorFromLevel: LogEventLevel.Error);
        if (configuration.GetSection("Serilog").Exists()) Apply(logger, configuration);
        return logger.CreateLogger();
    }

    private static LoggerConfiguration Apply(LoggerConfiguration logger, IConfiguration configuration) =>
        logger.ReadFrom.Configuration(configuration, new ConfigurationReaderOptions(
            typeof(ConsoleLoggerConfigurationExtensions).Assembly,
            typeof(FileLoggerConfigurationExtensions).Assembly,
            typeof(CompactJsonFormatter).Assembly));
}
