using System.Globalization;
using Microsoft.Extensions.Configuration;
using Trainer.Callbacks;
using Trainer.Recipes;
using Trainer.Training;

namespace Trainer.Search;

/// <summary>Reads <c>Search:Objectives</c>, a multi-objective study's metrics and directions.</summary>
internal static class SearchObjectives
{
    /// <summary>Mean wall-clock seconds of a trial's epochs so far, measured by the search.</summary>
    public const string EpochSeconds = "epoch_seconds";

    /// <summary>The trial model's trainable parameters, counted by the search.</summary>
    public const string ParameterCount = "parameter_count";

    /// <summary>The objectives, or an empty list when the section is absent; problems go to <paramref name="errors"/>.</summary>
    public static IReadOnlyList<StudyObjective> Parse(IConfigurationSection search, List<string> errors)
    {
        var section = search.GetSection("Objectives");
        var entries = section.GetChildren().OrderBy(c => int.TryParse(c.Key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue).ToList();
        if (entries.Count == 0) return [];
        if (search["Objective"] is not null || search["Direction"] is not null)
            errors.Add("Search:Objectives and Search:Objective/Search:Direction are both set; give several objectives in Search:Objectives alone, or one in Search:Objective.");
        var objectives = new List<StudyObjective>();
        foreach (var entry in entries)
        {
            var path = $"Search:Objectives:{entry.Key}";
            var metric = entry["Metric"] ?? (entry.Value is { Length: > 0 } bare ? bare : null);
            if (string.IsNullOrWhiteSpace(metric))
            {
                errors.Add($"{path}:Metric is required, e.g. {{ \"Metric\": \"val_accuracy\", \"Direction\": \"maximize\" }}.");
                continue;
            }
            var maximize = Maximize(metric, $"{path}:Metric", entry["Direction"], $"{path}:Direction", errors);
            if (objectives.Any(o => o.Metric == metric))
                errors.Add($"{path}:Metric '{metric}' is already an objective; give each metric once.");
            objectives.Add(new StudyObjective(metric, maximize));
        }
        if (entries.Count == 1)
            errors.Add("Search:Objectives has one objective; give at least two, or set the one in Search:Objective.");
        return objectives;
    }

    /// <summary>
    /// Every objective's value at this epoch: the epoch's metric of that name, else one the search measures itself
    /// (<see cref="EpochSeconds"/>, <see cref="ParameterCount"/>); an unknown metric is a <see cref="RecipeException"/> listing those that exist.
    /// </summary>
    public static double[] Read(EpochContext context, IReadOnlyList<StudyObjective> objectives)
    {
        var values = new double[objectives.Count];
        for (var i = 0; i < objectives.Count; i++)
        {
            var metric = objectives[i].Metric;
            if (context.Metrics.TryGetValue(metric, out var logged)) values[i] = logged;
            else if (metric == EpochSeconds) values[i] = context.History.Where(h => h.Epoch <= context.Epoch).Select(h => h.Seconds).DefaultIfEmpty(double.NaN).Average();
            else if (metric == ParameterCount) values[i] = context.Model.parameters().Where(p => p.requires_grad).Sum(p => p.NumberOfElements);
            else
                throw new RecipeException($"Search:Objectives:{i}:Metric: metric '{metric}' is not logged; available: " +
                                          $"{string.Join(", ", context.Metrics.Keys.Order(StringComparer.Ordinal).Append(EpochSeconds).Append(ParameterCount))}.");
        }
        return values;
    }

    /// <summary>
    /// Whether <paramref name="metric"/> is maximised: by <paramref name="direction"/> (maximize or minimize) when given,
    /// else from its name. A test_ metric or an unknown direction is an error naming its path.
    /// </summary>
    internal static bool Maximize(string metric, string metricPath, string? direction, string directionPath, List<string> errors)
    {
        if (metric.StartsWith("test_", StringComparison.OrdinalIgnoreCase))
            errors.Add($"{metricPath} '{metric}' would tune on the test split; use a validation metric such as val_accuracy or val_loss.");
        var lower = direction?.ToLowerInvariant();
        if (lower is not (null or "maximize" or "minimize"))
            errors.Add($"{directionPath} '{direction}' is not supported; use maximize or minimize.");
        return lower is null ? MetricMonitor.Resolve(metric, MonitorMode.Auto) == MonitorMode.Max : lower == "maximize";
    }
}
