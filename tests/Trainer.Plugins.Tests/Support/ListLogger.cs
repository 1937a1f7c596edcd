using Microsoft.Extensions.Logging;

namespace Trainer.Plugins.Tests.Support;

/// <summary>Collects log events (id and structured properties) for assertions.</summary>
public sealed class ListLogger : ILogger
{
    public List<(EventId Id, IReadOnlyDictionary<string, object?> Properties)> Events { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value)
            : new Dictionary<string, object?>();
        Events.Add((eventId, properties));
    }
}
