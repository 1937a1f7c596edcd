using System.Text.Json;

namespace Trainer.Reports;

/// <summary>
/// An experiment directory's <c>experiment.json</c>, read leniently: property names in any case, any value missing,
/// override values of any JSON kind, metrics that are null or absent.
/// </summary>
internal sealed record ExperimentManifest(string? Name, string? Recipe, DateTimeOffset? StartedAt, double? DurationSeconds, IReadOnlyList<ExperimentVariantView> Variants)
{
    public const string FileName = "experiment.json";

    /// <summary>Reads the file; throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public static ExperimentManifest Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException($"{FileName} holds {root.ValueKind}, not an object.");
        var variants = new List<ExperimentVariantView>();
        if (Property(root, "Variants") is { ValueKind: JsonValueKind.Array } array)
        {
            var index = 0;
            foreach (var v in array.EnumerateArray())
            {
                index++;
                if (v.ValueKind != JsonValueKind.Object) continue;
                variants.Add(new ExperimentVariantView(
                    String(v, "Name") ?? $"variant {index}",
                    Property(v, "Overrides") is { ValueKind: JsonValueKind.Object } o
                        ? o.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : JsonSerializer.Serialize(p.Value))).ToList()
                        : [],
                    String(v, "Directory"),
                    String(v, "Status"),
                    Int(v, "ExitCode"),
                    Int(v, "Epochs"),
                    Int(v, "BestEpoch"),
                    Double(v, "DurationSeconds"),
                    Property(v, "Metrics") is { ValueKind: JsonValueKind.Object } m
                        ? m.EnumerateObject().GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Last().Value.ValueKind == JsonValueKind.Number ? g.Last().Value.GetDouble() : (double?)null)
                        : new Dictionary<string, double?>()));
            }
        }
        var started = String(root, "StartedAt") is { } text &&
                      DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time)
            ? time
            : (DateTimeOffset?)null;
        return new ExperimentManifest(String(root, "Name"), String(root, "Recipe"), started, Double(root, "DurationSeconds"), variants);
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.TryGetProperty(name, out var exact)) return exact;
        foreach (var property in element.EnumerateObject())
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        return null;
    }

    private static string? String(JsonElement element, string name) => Property(element, name) is { } value
        ? value.ValueKind switch { JsonValueKind.String => value.GetString(), JsonValueKind.Null => null, _ => value.GetRawText() }
        : null;

    private static int? Int(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var n) ? n : null;

    private static double? Double(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetDouble(out var d) ? d : null;
}
