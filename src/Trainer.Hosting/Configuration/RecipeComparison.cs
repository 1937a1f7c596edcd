using System.Text.Json.Nodes;

namespace Trainer.Hosting.Configuration;

/// <summary>Compares two resolved recipes (recipe.json form) key by key, ignoring the keys that may change on resume.</summary>
public static class RecipeComparison
{
    /// <summary>Keys (and key prefixes ending in ':') that may differ between a run and its resume.</summary>
    public static readonly IReadOnlyList<string> SafeOnResume = ["Training:Epochs", "Training:Threads", "Training:MemoryLimitMB", "Training:NonFiniteCheckEvery",
        "Training:CudnnBenchmark", "Training:AllowTf32", "Optimizer:Implementation", "Serilog:", "Logging:", "Serve:",
        // Both data paths give the same batches for the same seed, so a run may resume on the other one.
        "Data:Loading", "Data:MemoryBudgetMB", "Data:Workers", "Data:Prefetch", "Data:Cache", "Data:CacheDirectory"];

    /// <summary>
    /// "Key: then → now" for every difference that is not safe, in key order. A setting <paramref name="before"/> lacks
    /// that has its default value in <paramref name="after"/> is no difference: it was added to the recipe since (a
    /// checkpoint written by an earlier version).
    /// </summary>
    public static IReadOnlyList<string> Differences(string before, string after)
    {
        var a = Flatten(before);
        var b = Flatten(after);
        return a.Keys.Union(b.Keys).Where(k => !IsSafe(k)).Order(StringComparer.OrdinalIgnoreCase)
            .Where(k => a.ContainsKey(k) || !Defaults.Value.TryGetValue(k, out var d) || !string.Equals(d, b.GetValueOrDefault(k), StringComparison.Ordinal))
            .Where(k => !string.Equals(a.GetValueOrDefault(k), b.GetValueOrDefault(k), StringComparison.Ordinal))
            .Select(k => $"{k}: {a.GetValueOrDefault(k) ?? "(absent)"} → {b.GetValueOrDefault(k) ?? "(absent)"}")
            .ToList();
    }

    /// <summary>Every setting of a default recipe, flattened, as a resolved recipe writes it.</summary>
    private static readonly Lazy<Dictionary<string, string?>> Defaults = new(() =>
        Flatten(System.Text.Json.JsonSerializer.Serialize(new Trainer.Recipes.RecipeOptions(), ConfigurationJson.ResolvedOptions)));

    private static bool IsSafe(string key) =>
        SafeOnResume.Any(s => s.EndsWith(':') ? key.StartsWith(s, StringComparison.OrdinalIgnoreCase) : key.Equals(s, StringComparison.OrdinalIgnoreCase));

    private static Dictionary<string, string?> Flatten(string json)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Walk(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, child) in o) Walk(child, path.Length == 0 ? key : $"{path}:{key}");
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++) Walk(a[i], $"{path}:{i}");
                    break;
                default:
                    result[path] = node?.ToJsonString();
                    break;
            }
        }
        if (!string.IsNullOrWhiteSpace(json)) Walk(JsonNode.Parse(json), "");
        return result;
    }
}
