using System.Text.Json;
using System.Text.Json.Nodes;
using Trainer.Hosting.Configuration;
using Trainer.Recipes;

namespace Trainer.Hosting.Experiments;

/// <summary>
/// Reads an experiment from a recipe: <c>Variants</c> maps names to override sets (flat <c>"Optimizer:Kind"</c> keys or
/// nested objects; an array value replaces the whole array), and the optional <c>Experiment</c> section holds
/// <c>Grid</c> (paths to value lists, crossed with every variant), <c>Metrics</c> (more metrics to overlay) and
/// <c>Objective</c>. Problems are <see cref="RecipeException"/>s naming the path, all at once.
/// </summary>
public static class ExperimentSpecParser
{
    /// <summary>The recipe section of named override sets.</summary>
    public const string VariantsSection = "Variants";

    /// <summary>The recipe section of the experiment's other settings.</summary>
    public const string ExperimentSection = "Experiment";

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string[] ExperimentKeys = ["Grid", "Metrics", "Objective"];

    /// <summary>Whether the recipe has a <c>Variants</c> or <c>Experiment</c> section, i.e. is an experiment.</summary>
    public static bool IsExperiment(RecipeSource source) =>
        TryParseRoot(source) is { } root && (Find(root, VariantsSection) is not null || Find(root, ExperimentSection) is not null);

    /// <summary>Parses the experiment of <paramref name="source"/>; throws <see cref="RecipeException"/> listing every problem.</summary>
    public static ExperimentSpec Parse(RecipeSource source)
    {
        var root = TryParseRoot(source) ?? throw new RecipeException($"Recipe '{source.DisplayName}' is not a JSON object.");
        var errors = new List<string>();
        var variantsNode = Find(root, VariantsSection)?.Value;
        var experiment = Find(root, ExperimentSection)?.Value;

        var baseVariants = new List<(string Name, Dictionary<string, JsonNode?> Overrides)>();
        if (variantsNode is null)
        {
            baseVariants.Add(("", []));
        }
        else if (variantsNode is not JsonObject variantsObject || variantsObject.Count == 0)
        {
            errors.Add($"{VariantsSection} must be a JSON object mapping each variant's name to the settings it changes, e.g. {{ \"sgd\": {{ \"Optimizer:Kind\": \"sgd\" }} }}.");
        }
        else
        {
            foreach (var (name, overrides) in variantsObject)
            {
                if (string.IsNullOrWhiteSpace(name)) errors.Add($"{VariantsSection}: a variant has an empty name; give every variant a name.");
                else if (overrides is not JsonObject set) errors.Add($"{VariantsSection}:{name} must be a JSON object of settings, e.g. {{ \"Optimizer:LearningRate\": 0.01 }}.");
                else baseVariants.Add((name, Flatten(set, "")));
            }
        }

        var grid = new List<GridAxis>();
        IReadOnlyList<string> extraMetrics = [];
        var primary = PrimaryMetric(root);
        var objective = "val_" + primary;
        if (experiment is not null and not JsonObject)
            errors.Add($"{ExperimentSection} must be a JSON object with Grid, Metrics or Objective.");
        if (experiment is JsonObject settings)
        {
            foreach (var (key, _) in settings.Where(p => !ExperimentKeys.Contains(p.Key, StringComparer.OrdinalIgnoreCase)))
                errors.Add($"{ExperimentSection}:{key} is not an experiment setting; settings of {ExperimentSection} are: {string.Join(", ", ExperimentKeys)}.");
            if (Find(settings, "Grid")?.Value is { } gridNode)
            {
                if (gridNode is not JsonObject axes || axes.Count == 0)
                    errors.Add($"{ExperimentSection}:Grid must be a JSON object mapping setting paths to lists of values, e.g. {{ \"Optimizer:LearningRate\": [0.001, 0.01] }}.");
                else
                    foreach (var (path, values) in axes)
                    {
                        if (values is JsonArray list && list.Count > 0 && list.All(v => v is JsonValue))
                            grid.Add(new GridAxis(path, list.Select(v => v?.DeepClone()).ToList()));
                        else
                            errors.Add($"{ExperimentSection}:Grid:{path} must be a non-empty list of plain values (numbers, strings or booleans).");
                    }
            }
            if (Find(settings, "Metrics")?.Value is { } metrics)
            {
                if (metrics is JsonArray names && names.All(n => n is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0))
                    extraMetrics = names.Select(n => n!.GetValue<string>()).ToList();
                else
                    errors.Add($"{ExperimentSection}:Metrics must be a list of metric names, e.g. [\"val_loss\"].");
            }
            if (Find(settings, "Objective")?.Value is { } objectiveNode)
            {
                if (objectiveNode is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0) objective = s;
                else errors.Add($"{ExperimentSection}:Objective must be a metric name such as \"val_accuracy\".");
            }
        }
        if (errors.Count > 0) throw new RecipeException(errors);

        var variants = new List<ExperimentVariant>();
        foreach (var (baseName, baseOverrides) in baseVariants)
        {
            foreach (var point in Cross(grid))
            {
                var overrides = new Dictionary<string, JsonNode?>(baseOverrides, StringComparer.OrdinalIgnoreCase);
                var parts = baseName.Length > 0 ? new List<string> { baseName } : [];
                foreach (var (axis, value) in point)
                {
                    overrides[axis.Path] = value?.DeepClone();
                    parts.Add($"{axis.ShortName}={Text(value)}");
                }
                var name = string.Join(" ", parts);
                var recipe = root.DeepClone().AsObject();
                Remove(recipe, VariantsSection);
                Remove(recipe, ExperimentSection);
                foreach (var (path, value) in overrides)
                {
                    // A grid path's mistake is the grid's, the same for every variant: name the grid, not the variant.
                    var owner = point.Any(p => string.Equals(p.Axis.Path, path, StringComparison.OrdinalIgnoreCase))
                        ? $"{ExperimentSection}:Grid" : $"{VariantsSection}:{baseName}";
                    if (Apply(recipe, path, value) is { } problem) errors.Add($"{owner}: {problem}");
                }
                variants.Add(new ExperimentVariant(name, Folder(name), overrides, recipe.ToJsonString(Indented)) { Group = baseName });
            }
        }
        foreach (var clash in variants.GroupBy(v => v.Folder, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"{VariantsSection}: the variants {string.Join(", ", clash.Select(v => $"'{v.Name}'"))} would share the folder '{clash.Key}'; give them distinct names.");
        if (errors.Count > 0) throw new RecipeException(errors.Distinct().ToList());

        var name0 = Find(root, "Name")?.Value is JsonValue n && n.TryGetValue<string>(out var recipeName) ? recipeName : "experiment";
        var numeric = grid.Where(a => a.IsNumeric).ToList();
        return new ExperimentSpec
        {
            Name = name0,
            Variants = variants,
            Metrics = ExperimentSpec.MetricsOf(primary).Concat(extraMetrics).Distinct().ToList(),
            Objective = objective,
            SweepAxis = numeric.Count == 1 ? numeric[0] : null,
        };
    }

    // The task's primary metric from the recipe's Task section (accuracy for a classifier, rmse for regression, …).
    private static string PrimaryMetric(JsonObject root)
    {
        var task = Find(root, "Task")?.Value as JsonObject;
        var kind = task is null ? null : Find(task, "Kind")?.Value is JsonValue k && k.TryGetValue<string>(out var text) ? text : null;
        var metrics = task is null ? null : Find(task, "Metrics")?.Value is JsonArray list
            ? list.Select(m => m is JsonValue v && v.TryGetValue<string>(out var name) ? name : "").ToList() : null;
        return Trainer.Tasks.TaskCatalog.PrimaryMetric(new Trainer.Recipes.TaskOptions { Kind = kind ?? "classification", Metrics = metrics });
    }

    /// <summary>A variant's folder name: letters, digits and <c>.=-</c> kept, anything else (and a leading dot) becomes <c>_</c>.</summary>
    public static string Folder(string name)
    {
        if (name.Length == 0) return "base";
        var folder = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '=' or '-' ? c : '_'));
        return folder[0] == '.' ? "_" + folder[1..] : folder; // never "." or "..": a variant stays inside variants/
    }

    private static JsonObject? TryParseRoot(RecipeSource source)
    {
        try
        {
            // Duplicated keys are refused while parsing (AllowDuplicateProperties = false), as the configuration loader does.
            return JsonNode.Parse(source.Json, documentOptions: DocumentOptions) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new RecipeException($"Recipe '{source.DisplayName}' is not valid JSON: {e.Message}");
        }
    }

    private static KeyValuePair<string, JsonNode?>? Find(JsonObject obj, string key)
    {
        foreach (var pair in obj)
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase)) return pair;
        return null;
    }

    private static void Remove(JsonObject obj, string key)
    {
        if (Find(obj, key) is { } pair) obj.Remove(pair.Key);
    }

    private static Dictionary<string, JsonNode?> Flatten(JsonObject set, string prefix)
    {
        var result = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in set)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}:{key}";
            if (value is JsonObject nested && nested.Count > 0)
                foreach (var (p, v) in Flatten(nested, path)) result[p] = v;
            else
                result[path] = value?.DeepClone();
        }
        return result;
    }

    /// <summary>Sets <paramref name="path"/> in <paramref name="root"/>, creating sections as needed; returns a problem, or null.</summary>
    private static string? Apply(JsonObject root, string path, JsonNode? value)
    {
        var segments = path.Split(':');
        JsonNode current = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            switch (current)
            {
                case JsonObject obj:
                {
                    var existing = Find(obj, segment);
                    var key = existing?.Key ?? segment;
                    if (last)
                    {
                        obj[key] = value?.DeepClone();
                        return null;
                    }
                    if (existing?.Value is JsonObject or JsonArray) current = existing.Value.Value!;
                    else if (existing?.Value is null) { var created = new JsonObject(); obj[key] = created; current = created; }
                    else return $"{path}: '{string.Join(":", segments.Take(i + 1))}' is a value, not a section.";
                    break;
                }
                case JsonArray array when int.TryParse(segment, out var index) && index >= 0 && index < array.Count:
                    if (last)
                    {
                        array[index] = value?.DeepClone();
                        return null;
                    }
                    current = array[index] ?? (array[index] = new JsonObject());
                    break;
                default:
                    return $"{path}: '{string.Join(":", segments.Take(i))}' has no element '{segment}'.";
            }
        }
        return null;
    }

    private static IEnumerable<List<(GridAxis Axis, JsonNode? Value)>> Cross(IReadOnlyList<GridAxis> axes)
    {
        IEnumerable<List<(GridAxis, JsonNode?)>> points = [[]];
        foreach (var axis in axes)
            points = points.SelectMany(p => axis.Values.Select(v => new List<(GridAxis, JsonNode?)>(p) { (axis, v) })).ToList();
        return points;
    }

    private static string Text(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "null";
}
