using Microsoft.Extensions.Logging;

namespace Trainer.Testing;

/// <summary>A logger that keeps every event, with its structured properties, for assertions. Thread-safe.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly List<LoggedEvent> events = [];

    /// <summary>The events logged so far, oldest first (a copy).</summary>
    public IReadOnlyList<LoggedEvent> Events
    {
        get
        {
            lock (events) return events.ToList();
        }
    }

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal);
        var logged = new LoggedEvent(logLevel, eventId, formatter(state, exception), properties, exception);
        lock (events) events.Add(logged);
    }
}
