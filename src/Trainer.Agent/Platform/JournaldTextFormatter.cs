using System.Globalization;
using System.Text;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace Trainer.Agent.Platform;

/// <summary>
/// Console lines for journald (stdout under systemd): no timestamp (the journal adds one), the syslog priority as a
/// <c>&lt;N&gt;</c> prefix (sd-daemon(3): Verbose and Debug 7, Information 6, Warning 4, Error 3, Fatal 2), one line per
/// event. An exception follows on its own lines, each with the same prefix, so the journal keeps them at the event's
/// priority. Control characters inside a line (a newline a client or a recipe put into a value) become \uXXXX, so no
/// text can forge an entry. Lines end with '\n'.
/// </summary>
/// <param name="template">The Serilog output template of a line, after the prefix. Default: <see cref="DefaultTemplate"/>.</param>
public sealed class JournaldTextFormatter(string template = JournaldTextFormatter.DefaultTemplate) : ITextFormatter
{
    /// <summary>The default line: the rendered message alone (the journal records the time, unit and process).</summary>
    public const string DefaultTemplate = "{Message:lj}";

    private readonly MessageTemplateTextFormatter inner = new(template, CultureInfo.InvariantCulture);

    /// <summary>The syslog priority journald records for <paramref name="level"/>.</summary>
    public static int Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => 7,
        LogEventLevel.Information => 6,
        LogEventLevel.Warning => 4,
        LogEventLevel.Error => 3,
        _ => 2,
    };

    /// <inheritdoc />
    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        var prefix = $"<{Priority(logEvent.Level)}>";
        using var buffer = new StringWriter(CultureInfo.InvariantCulture);
        inner.Format(logEvent, buffer);
        var text = new StringBuilder();
        AppendLine(text, prefix, buffer.ToString());
        if (logEvent.Exception is { } exception)
        {
            foreach (var line in exception.ToString().ReplaceLineEndings("\n").Split('\n'))
                if (line.Length > 0) AppendLine(text, prefix, line);
        }
        output.Write(text.ToString());
    }

    private static void AppendLine(StringBuilder text, string prefix, string line)
    {
        text.Append(prefix);
        foreach (var c in line)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029') text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else text.Append(c);
        }
        text.Append('\n');
    }
}
