using System.Text;
using Serilog.Events;
using Serilog.Formatting;

namespace Trainer.Hosting.Logging;

/// <summary>
/// Formats an event with another formatter and writes it as one line: control characters inside it (a newline or an
/// ANSI escape that a client put into a control request, a recipe value) become \uXXXX, so nothing that reaches the
/// console can forge a log line or drive the terminal. The line's own ending is kept.
/// </summary>
public sealed class EscapingTextFormatter(ITextFormatter inner) : ITextFormatter
{
    /// <inheritdoc />
    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        inner.Format(logEvent, buffer);
        var text = buffer.ToString();
        var ending = text.EndsWith(Environment.NewLine, StringComparison.Ordinal) ? Environment.NewLine : "";
        var body = text[..^ending.Length];
        var escaped = new StringBuilder(body.Length);
        foreach (var c in body)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029') escaped.Append($"\\u{(int)c:x4}");
            else escaped.Append(c);
        }
        output.Write(escaped.Append(ending).ToString());
    }
}
