namespace Trainer.Serving.Live;

/// <summary>One server-sent event: its name and its JSON data, serialised once for every client.</summary>
internal readonly record struct ServerEvent(string Name, string Data);
