using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;
using Trainer.Hosting.Logging;

namespace Trainer.Hosting.Tests.Logging;

public sealed class EscapingTextFormatterTests
{
    [Test]
    public void ControlCharactersInAnEventBecomeEscapesAndTheEventStaysOneLine()
    {
        var formatter = new EscapingTextFormatter(new MessageTemplateTextFormatter(RunLogger.ConsoleTemplate, System.Globalization.CultureInfo.InvariantCulture));
        var template = new MessageTemplateParser().Parse("Control {Action} refused");
        var logEvent = new LogEvent(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero), LogEventLevel.Warning, null, template,
            [new LogEventProperty("Action", new ScalarValue("x\n[12:00:00 INF] Run completed\u001b[2J"))]);
        using var output = new StringWriter();

        formatter.Format(logEvent, output);

        Assert.That(output.ToString(), Is.EqualTo("[12:00:00 WRN] Control x\\u000a[12:00:00 INF] Run completed\\u001b[2J refused" + Environment.NewLine));
    }
}
