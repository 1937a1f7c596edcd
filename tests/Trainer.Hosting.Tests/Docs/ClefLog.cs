using System.Text.Json;

namespace Trainer.Hosting.Tests.Docs;

/// <summary>Reads a run's log.clef (one compact JSON event per line).</summary>
internal static class ClefLog
{
    /// <summary>The events of <paramref name="runDirectory"/> whose EventId.Id is <paramref name="eventId"/>.</summary>
    public static List<JsonElement> Events(string runDirectory, int eventId) =>
        File.ReadAllLines(Path.Combine(runDirectory, "log.clef"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.TryGetProperty("EventId", out var id) && id.TryGetProperty("Id", out var number) && number.GetInt32() == eventId)
            .ToList();
}
