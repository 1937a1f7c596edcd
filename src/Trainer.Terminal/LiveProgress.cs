using System.Globalization;
using Spectre.Console;
using Trainer.Callbacks;
using Trainer.Hosting.Features;

namespace Trainer.Terminal;

/// <summary>
/// The interactive console display of a run: a bar for the whole run (with elapsed time and ETA) and one for the
/// current epoch, labelled with the smoothed loss, the learning rate and the last validation metrics; log lines print
/// above it. Used only when standard output is a terminal; services and CI get plain log lines.
/// </summary>
public sealed class LiveProgress : ILiveDisplay
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(200);
    private readonly CancellationTokenSource stop = new();
    private readonly Task display;
    private readonly string title;

    private LiveProgress(IAnsiConsole console, string title)
    {
        Console = console;
        this.title = title;
        LogWriter = new AnsiConsoleLineWriter(console);
        display = console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var run = context.AddTask(Markup.Escape(title), maxValue: 1);
                var epoch = context.AddTask("epoch", maxValue: 1);
                while (!stop.IsCancellationRequested)
                {
                    Show(run, epoch, State.Current);
                    try { await Task.Delay(RefreshInterval, stop.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) { break; }
                }
                Show(run, epoch, State.Current);
                context.Refresh();
            });
    }

    /// <summary>Whether a live display makes sense here: output is an interactive terminal and not a CI log.</summary>
    public static bool IsSupported =>
        !System.Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive &&
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>The console it draws on.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>The state the display shows; fed by the callback of <see cref="CreateCallback"/>.</summary>
    public LiveProgressState State { get; } = new();

    /// <summary>Where log lines go while the display runs.</summary>
    public TextWriter LogWriter { get; }

    /// <summary>Creates the callback that feeds <see cref="State"/>.</summary>
    public LiveProgressCallback CreateCallback() => new(State);

    /// <inheritdoc />
    TrainingCallback ILiveDisplay.CreateCallback() => CreateCallback();

    /// <summary>Starts a display titled <paramref name="title"/> on <paramref name="console"/> (default: the process console).</summary>
    public static LiveProgress Start(string title, IAnsiConsole? console = null) => new(console ?? AnsiConsole.Console, title);

    /// <summary>The label of the run bar for <paramref name="s"/>: epoch, smoothed loss, learning rate, last validation metrics.</summary>
    public static string Describe(string title, LiveProgressState.Snapshot s)
    {
        var parts = new List<string> { title, s.Epochs > 0 ? $"epoch {Math.Max(s.Epoch, 1)}/{s.Epochs}" : "starting" };
        if (double.IsFinite(s.SmoothedLoss)) parts.Add(string.Create(CultureInfo.InvariantCulture, $"loss {s.SmoothedLoss:F4}"));
        if (double.IsFinite(s.LearningRate) && s.LearningRate > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"lr {s.LearningRate:G3}"));
        if (s.ValidationLoss is { } vl) parts.Add(string.Create(CultureInfo.InvariantCulture, $"val_loss {vl:F4}"));
        if (s.ValidationAccuracy is { } va) parts.Add(string.Create(CultureInfo.InvariantCulture, $"val_acc {va:F4}"));
        return string.Join("  ", parts);
    }

    private void Show(ProgressTask run, ProgressTask epoch, LiveProgressState.Snapshot s)
    {
        run.Description = Markup.Escape(Describe(title, s));
        if (s.Epochs > 0)
        {
            run.MaxValue = s.Epochs;
            run.Value = Math.Min(s.Epochs, s.CompletedEpochs + (s.Batches > 0 && s.CompletedEpochs < s.Epoch ? (double)s.Batch / s.Batches : 0));
        }
        if (s.Batches > 0)
        {
            epoch.MaxValue = s.Batches;
            epoch.Value = Math.Min(s.Batches, s.Batch);
            epoch.Description = string.Create(CultureInfo.InvariantCulture, $"batch {s.Batch}/{s.Batches}");
        }
        if (s.Finished)
        {
            run.Value = run.MaxValue;
            epoch.Value = epoch.MaxValue;
        }
    }

    /// <summary>Stops the display after a last refresh.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await display.ConfigureAwait(false);
        await LogWriter.FlushAsync().ConfigureAwait(false);
        stop.Dispose();
    }
}
