using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Trainer.Reports;

/// <summary>A warning or error from a run's <c>log.clef</c> (Serilog's compact JSON: @t, @mt or @m, @l, @x).</summary>
internal sealed partial record LogEvent(string Time, string Level, string Message, string? Exception)
{
    private static readonly string[] Levels = ["Warning", "Error", "Fatal"];

    /// <summary>The warnings and errors, and how many lines could not be read (a line cut short by a crash).</summary>
    public static (IReadOnlyList<LogEvent> Events, int Unreadable) ReadWarnings(string path)
    {
        var events = new List<LogEvent>();
        var unreadable = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
                var level = root.TryGetProperty("@l", out var l) ? l.GetString() ?? "Information" : "Information";
                if (!Levels.Contains(level, StringComparer.OrdinalIgnoreCase)) continue;
                events.Add(new LogEvent(
                    root.TryGetProperty("@t", out var t) ? FormatTime(t.GetString()) : "",
                    level,
                    root.TryGetProperty("@m", out var m) ? m.GetString() ?? "" : root.TryGetProperty("@mt", out var mt) ? Render(mt.GetString() ?? "", root) : "",
                    root.TryGetProperty("@x", out var x) ? x.GetString() : null));
            }
            catch (JsonException)
            {
                unreadable++;
            }
        }
        return (events, unreadable);
    }

    /// <summary>"2026-11-23 13:13:22.123Z" from the event's ISO 8601 timestamp (as written when it cannot be parsed).</summary>
    private static string FormatTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.ToString(time.Offset == TimeSpan.Zero ? "yyyy-MM-dd HH:mm:ss.fff'Z'" : "yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture)
            : text ?? "";

    /// <summary>Fills a message template's holes with the event's properties (with their numeric format, if any).</summary>
    private static string Render(string template, JsonElement properties) =>
        Hole().Replace(template, match =>
        {
            if (match.Value.StartsWith("{{", StringComparison.Ordinal)) return "{";
            if (match.Value.StartsWith("}}", StringComparison.Ordinal)) return "}";
            var name = match.Groups["name"].Value;
            if (!properties.TryGetProperty(name, out var value)) return match.Value;
            var format = match.Groups["format"].Success ? match.Groups["format"].Value : null;
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() ?? "",
                JsonValueKind.Number when format is not null && value.TryGetDouble(out var number) => Format(number, format),
                JsonValueKind.Number => value.GetRawText(),
                _ => value.GetRawText(),
            };
        });

    private static string Format(double number, string format)
    {
        try
        {
            return number.ToString(format, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }
    }

    [GeneratedRegex(@"\{\{|\}\}|\{[@$]?(?<name>[A-Za-z0-9_.]+)(?:,[^:}]*)?(?::(?<format>[^}]*))?\}")]
    private static partial Regex Hole();
}
