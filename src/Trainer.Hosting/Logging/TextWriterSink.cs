using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Trainer.Hosting.Logging;

/// <summary>A Serilog sink that formats each event with a text formatter onto a <see cref="TextWriter"/> (a live display's log area).</summary>
public sealed class TextWriterSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock gate = new();

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        lock (gate)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}
