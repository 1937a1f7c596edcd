using Microsoft.Extensions.Configuration;
using Serilog.Events;
using Serilog.Parsing;
using Trainer.Agent.Platform;
using Trainer.Hosting.Logging;

namespace Trainer.Agent.Tests.Platform;

[TestFixture]
public sealed class JournaldTextFormatterTests
{
    [TestCase(LogEventLevel.Verbose, "<7>")]
    [TestCase(LogEventLevel.Debug, "<7>")]
    [TestCase(LogEventLevel.Information, "<6>")]
    [TestCase(LogEventLevel.Warning, "<4>")]
    [TestCase(LogEventLevel.Error, "<3>")]
    [TestCase(LogEventLevel.Fatal, "<2>")]
    public void EachLevelGetsItsSyslogPriorityAndNoTimestamp(LogEventLevel level, string prefix)
    {
        var line = Format(Event(level, "Took run {RunId} from {Queue}", null, ("RunId", "r-42"), ("Queue", "sqlite:/q.db")));

        Assert.That(line, Is.EqualTo($"{prefix}Took run r-42 from sqlite:/q.db\n"));
    }

    [Test]
    public void AnExceptionFollowsOnLinesWithTheSamePrefix()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("the queue is locked");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        var lines = Format(Event(LogEventLevel.Error, "Run {RunId} failed", thrown, ("RunId", "r-7"))).Split('\n');

        Assert.That(lines[^1], Is.Empty, "ends with a line break");
        Assert.That(lines[0], Is.EqualTo("<3>Run r-7 failed"));
        Assert.That(lines[1], Is.EqualTo("<3>System.InvalidOperationException: the queue is locked"));
        Assert.That(lines[2], Does.StartWith("<3>   at ").And.Contain(nameof(AnExceptionFollowsOnLinesWithTheSamePrefix)));
        Assert.That(lines[..^1], Is.All.StartWith("<3>"));
    }

    [Test]
    public void ALineBreakInAValueCannotForgeAnEntry()
    {
        var text = Format(Event(LogEventLevel.Information, "Recipe {Name}", null, ("Name", "mnist\n<2>forged\u001b[2J")));

        Assert.That(text, Is.EqualTo("<6>Recipe mnist\\u000a<2>forged\\u001b[2J\n"));
    }

    [Test]
    public void AnotherTemplateCanAddProperties()
    {
        var formatter = new JournaldTextFormatter("[{RunId}] {Message:lj}");
        using var output = new StringWriter();

        formatter.Format(Event(LogEventLevel.Warning, "Slow epoch", null, ("RunId", "r-9")), output);

        Assert.That(output.ToString(), Is.EqualTo("<4>[r-9] Slow epoch\n"));
    }

    [Test]
    public void RunLoggerWritesTheConsoleThroughAGivenFormatter()
    {
        using var folder = new TempFolder();
        using var console = new StringWriter();
        var configuration = new ConfigurationBuilder().Build();

        using (var logger = RunLogger.Create(configuration, "r-1", folder.Path, console: true, consoleWriter: console, consoleFormatter: new JournaldTextFormatter()))
        {
            logger.Information("Epoch {Epoch} done", 3);
            logger.Warning("Loss is {Loss}", 0.25);
        }

        Assert.That(console.ToString(), Is.EqualTo("<6>Epoch 3 done\n<4>Loss is 0.25\n"));
        Assert.That(File.ReadAllText(folder.File(RunLogger.FileName)), Does.Contain("\"Epoch\":3"), "log.clef as before");
    }

    [Test]
    public void RunLoggerKeepsTheHumanTemplateWithoutAFormatter()
    {
        using var folder = new TempFolder();
        using var console = new StringWriter();

        using (var logger = RunLogger.Create(new ConfigurationBuilder().Build(), "r-1", folder.Path, console: true, consoleWriter: console))
            logger.Information("Epoch {Epoch} done", 3);

        Assert.That(console.ToString(), Does.Match(@"^\[\d\d:\d\d:\d\d INF\] Epoch 3 done" + Environment.NewLine + "$"));
    }

    private static LogEvent Event(LogEventLevel level, string template, Exception? exception, params (string Name, string Value)[] properties) =>
        new(DateTimeOffset.UtcNow, level, exception, new MessageTemplateParser().Parse(template),
            properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value))));

    private static string Format(LogEvent logEvent)
    {
        using var output = new StringWriter();
        new JournaldTextFormatter().Format(logEvent, output);
        return output.ToString();
    }
}
