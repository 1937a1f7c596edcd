using System.Text;
using Spectre.Console;

namespace Trainer.Terminal;

/// <summary>
/// A <see cref="TextWriter"/> that hands whole lines to Spectre.Console, so that log lines print above a live
/// progress display instead of through it. Warnings and errors are coloured.
/// </summary>
public sealed class AnsiConsoleLineWriter(IAnsiConsole console) : TextWriter
{
    private readonly StringBuilder pending = new();
    private readonly Lock gate = new();

    /// <inheritdoc />
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc />
    public override void Write(char value)
    {
        lock (gate) Append(value);
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        if (value is null) return;
        lock (gate) // one caller's text stays together even when several threads write
            foreach (var c in value) Append(c);
    }

    private void Append(char value)
    {
        if (value == '\n') Flush(line: true);
        else if (value != '\r') pending.Append(value);
    }

    /// <inheritdoc />
    public override void Flush()
    {
        lock (gate) Flush(line: false);
    }

    private void Flush(bool line)
    {
        if (pending.Length == 0 && !line) return;
        var text = pending.ToString();
        pending.Clear();
        var style = text.Contains(" ERR] ", StringComparison.Ordinal) || text.Contains(" FTL] ", StringComparison.Ordinal) ? new Style(Color.Red)
            : text.Contains(" WRN] ", StringComparison.Ordinal) ? new Style(Color.Yellow) : Style.Plain;
        console.Write(new Text(text + (line ? "\n" : ""), style));
    }
}
