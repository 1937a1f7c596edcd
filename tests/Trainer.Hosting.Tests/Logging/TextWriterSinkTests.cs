using System.Globalization;
using Serilog;
using Serilog.Formatting.Display;
using Spectre.Console;
using Trainer.Hosting.Logging;
using Trainer.Terminal;

namespace Trainer.Hosting.Tests.Logging;

public sealed class TextWriterSinkTests
{
    private static MessageTemplateTextFormatter Formatter(string template) => new(template, CultureInfo.InvariantCulture);

    [Test]
    public void EachEventIsFormattedOntoTheWriter()
    {
        var output = new StringWriter();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(new TextWriterSink(output, Formatter("[{Level:u3}] {Message:lj}{NewLine}"))).CreateLogger())
        {
            logger.Information("epoch {Epoch} loss {Loss}", 3, 0.25);
            logger.Warning("slow");
        }

        Assert.That(output.ToString(), Is.EqualTo($"[INF] epoch 3 loss 0.25{Environment.NewLine}[WRN] slow{Environment.NewLine}"));
    }

    [Test]
    public void TheWriterIsFlushedAfterEveryEventSoAPartialLineShowsAtOnce()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        var lines = new AnsiConsoleLineWriter(console);
        using var logger = new LoggerConfiguration().WriteTo.Sink(new TextWriterSink(lines, Formatter("{Message:lj}"))).CreateLogger();

        logger.Information("no newline");

        Assert.That(output.ToString(), Is.EqualTo("no newline"), "the line writer holds partial lines until flushed");
    }

    [Test]
    public async Task EventsFromManyThreadsReachTheLiveDisplaysWriterAsWholeLines()
    {
        // The pairing a live run uses: the line writer takes one character at a time, so only the sink's lock keeps
        // two threads' events from interleaving.
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        using var logger = new LoggerConfiguration()
            .WriteTo.Sink(new TextWriterSink(new AnsiConsoleLineWriter(console), Formatter("{Message:lj}{NewLine}"))).CreateLogger();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 250; i++) logger.Information("thread {Thread} event {Event} of a longish message", t, i);
        })));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.EquivalentTo(Enumerable.Range(0, 8).SelectMany(t => Enumerable.Range(0, 250).Select(i => $"thread {t} event {i} of a longish message"))));
    }
}
