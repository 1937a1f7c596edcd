using Microsoft.Extensions.Logging;

namespace Trainer.Testing;

/// <summary>A log event a callback wrote through <c>context.Logger</c>.</summary>
/// <param name="Level">Its level.</param>
/// <param name="Id">Its event id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Properties">The structured properties (template names included), e.g. "Epoch".</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record LoggedEvent(LogLevel Level, EventId Id, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception);
