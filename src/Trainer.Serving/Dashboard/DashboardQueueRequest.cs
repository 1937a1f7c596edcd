using System.Text.Json;
using System.Text.RegularExpressions;
using Trainer.Agent.Queue;
using Trainer.Serving.Http;

namespace Trainer.Serving.Dashboard;

/// <summary>
/// Reads the body of <c>POST /api/queue</c> into a submission, or the field at fault and why:
/// <c>{"recipe": {…}, "overrides": ["--Training:Epochs=5"], "priority": 0, "name": "…"}</c>. Only the recipe object is
/// accepted, never a file path (the server's files are not the client's to name); the run's RecipePath stays null.
/// </summary>
internal static partial class DashboardQueueRequest
{
    /// <summary>The most overrides one submission may carry.</summary>
    public const int MaxOverrides = 100;

    /// <summary>The longest name or override accepted.</summary>
    public const int MaxText = 1000;

    private static readonly string[] Fields = ["recipe", "overrides", "priority", "name"];
    private const string Example = "send e.g. {\"recipe\":{\"Name\":\"quickstart\",…},\"overrides\":[\"--Training:Epochs=5\"],\"priority\":0}";

    public static (QueueSubmission? Submission, string Field, string Problem) Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            return (null, "body", $"The body is not valid JSON ({e.Message.Split(" Path:")[0]}); {Example}.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, "body", $"The body must be a JSON object; {Example}.");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                var shown = LogText.Escape(property.Name, 40);
                if (property.Name is "recipeFile" or "recipePath" or "path" or "file")
                    return (null, shown, $"'{shown}': a recipe file cannot be named over HTTP; send the recipe itself as the 'recipe' object.");
                if (!Fields.Contains(property.Name))
                    return (null, shown, $"'{shown}' is not a queue field; the fields are recipe, overrides, priority and name.");
                if (!seen.Add(property.Name)) return (null, shown, $"'{shown}' is given twice; give each field once.");
            }
            if (!root.TryGetProperty("recipe", out var recipe) || recipe.ValueKind != JsonValueKind.Object)
                return (null, "recipe", $"'recipe' is required and must be the recipe as a JSON object; {Example}.");
            var (overrides, overrideProblem) = Overrides(root);
            if (overrideProblem is not null) return (null, "overrides", overrideProblem);
            // A submission runs as the agent's account: nothing over HTTP may load code (Plugins, Trainer:AllowWritablePlugins),
            // write files of its choosing (Serilog and Logging sinks) or open listeners (Serve). Those belong to the agent's owner.
            if (recipe.EnumerateObject().Select(p => p.Name).FirstOrDefault(HostOnlySections.Contains) is { } section)
                return (null, "recipe", $"The recipe's '{section}' section cannot be sent over HTTP: {HostOnlyReason}");
            if (overrides.FirstOrDefault(o => HostOnlySections.Contains(o[2..].Split(':', 2)[0])) is { } hostOnly)
                return (null, "overrides", $"Override {LogText.Escape(hostOnly, 60)} cannot be sent over HTTP: {HostOnlyReason}");
            var priority = 0;
            if (root.TryGetProperty("priority", out var p) && p.ValueKind != JsonValueKind.Null && (p.ValueKind != JsonValueKind.Number || !p.TryGetInt32(out priority)))
                return (null, "priority", $"'priority' must be a whole number (higher runs first); got {LogText.Escape(p.GetRawText(), 40)}.");
            string? name = null;
            if (root.TryGetProperty("name", out var n) && n.ValueKind != JsonValueKind.Null)
            {
                name = n.ValueKind == JsonValueKind.String ? n.GetString()!.Trim() : null;
                if (string.IsNullOrEmpty(name) || name.Length > 200 || name.Any(char.IsControl))
                    return (null, "name", "'name' must be a string of 1 to 200 printable characters, or left out for the recipe's Name.");
            }
            name ??= RecipeName(recipe) ?? "recipe";
            return (new QueueSubmission(name, recipe.GetRawText(), overrides, priority, RecipePath: null), "", "");
        }
    }

    /// <summary>Recipe sections a submission over HTTP may not carry: they load code, write files or open listeners as the agent.</summary>
    public static readonly IReadOnlySet<string> HostOnlySections = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Plugins", "Trainer", "Serilog", "Logging", "Serve" };

    private const string HostOnlyReason = "Plugins, Trainer, Serilog, Logging and Serve would load code, write files or listen as the agent's account; " +
                                          "submit such a recipe with 'trainer submit' on the agent's machine.";

    private static (string[] Overrides, string? Problem) Overrides(JsonElement root)
    {
        if (!root.TryGetProperty("overrides", out var element) || element.ValueKind == JsonValueKind.Null) return ([], null);
        if (element.ValueKind != JsonValueKind.Array)
            return ([], "'overrides' must be an array of strings such as \"--Training:Epochs=5\".");
        if (element.GetArrayLength() > MaxOverrides) return ([], $"'overrides' has {element.GetArrayLength()} entries; at most {MaxOverrides} are accepted.");
        var list = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
            if (text is null || text.Length > MaxText || text.Any(char.IsControl) || !Override().IsMatch(text))
                return ([], $"Override {LogText.Escape(text ?? item.GetRawText(), 60)} is not --Section:Key=value; write e.g. \"--Training:Epochs=5\" " +
                            "(a section and a key, then '=' and the value).");
            list.Add(text);
        }
        return ([.. list], null);
    }

    private static string? RecipeName(JsonElement recipe)
    {
        foreach (var property in recipe.EnumerateObject())
            if (property.Name.Equals("Name", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String &&
                property.Value.GetString() is { Length: > 0 and <= 200 } name && !name.Any(char.IsControl))
                return name;
        return null;
    }

    // A section and at least one key: never a bare --word, which 'trainer run' could take for one of its own options.
    [GeneratedRegex(@"^--[A-Za-z_][A-Za-z0-9_]*(:[A-Za-z0-9_]+)+=", RegexOptions.CultureInvariant)]
    private static partial Regex Override();
}
