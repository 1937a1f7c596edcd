using System.Text.Json;
using Trainer.Search;

namespace Trainer.Search;

/// <summary>A study read back from its store: its spec (objective, direction and space as the search stored them) and its trials.</summary>
public static class StoredStudy
{
    /// <summary>
    /// The study's spec and trials, or null when the store has no such study. The space is rebuilt from the stored
    /// space JSON, so plots use each parameter's own scale; a parameter it cannot rebuild is shown on a linear axis.
    /// </summary>
    public static (SearchSpec Spec, IReadOnlyList<TrialRecord> Trials)? Load(IStudyStore store, string study)
    {
        if (store.Study(study) is not { } info) return null;
        var trials = store.Trials(study);
        var space = Space(info.SpaceJson);
        foreach (var key in trials.SelectMany(t => t.Parameters.Keys).Distinct())
            if (!space.Any(d => d.Path == key)) space.Add((key, new UniformDistribution(0, 1)));
        var spec = new SearchSpec
        {
            Study = study, Objective = info.Objective, Maximize = info.Maximize, Objectives = store.Objectives(study) ?? [], Trials = trials.Count, Seed = 0,
            Space = space, Sampler = new RandomSampler(), Pruner = "None",
        };
        return (spec, trials);
    }

    private static List<(string Path, IDistribution Distribution)> Space(string json)
    {
        var space = new List<(string, IDistribution)>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array) return space;
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("Path", out var path) || path.GetString() is not { } key) continue;
                space.Add((key, Distribution(entry) ?? new UniformDistribution(0, 1)));
            }
        }
        catch (JsonException)
        {
            // An unreadable space: the parameters still appear, from the trials, on linear axes.
        }
        return space;
    }

    private static IDistribution? Distribution(JsonElement entry)
    {
        if (!entry.TryGetProperty("Distribution", out var name) || !entry.TryGetProperty("Settings", out var settings)) return null;
        var type = typeof(IDistribution).Assembly.GetType($"{typeof(IDistribution).Namespace}.{name.GetString()}");
        if (type is null || !typeof(IDistribution).IsAssignableFrom(type)) return null;
        try
        {
            return settings.Deserialize(type) as IDistribution;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
