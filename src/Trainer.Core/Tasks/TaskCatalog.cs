using System.Text.RegularExpressions;
using Trainer.Recipes;

namespace Trainer.Tasks;

/// <summary>The losses and metrics a recipe can name: the built-in ones and those plugins add.</summary>
public sealed partial class TaskCatalog
{
    private readonly Dictionary<string, Func<TaskOptions, ILoss>> losses = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IMetric> metrics = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A catalog of the built-in losses and metrics.</summary>
    public TaskCatalog()
    {
        losses["cross-entropy"] = o => new CrossEntropyLoss(o.LabelSmoothing);
        losses["mse"] = _ => new MeanSquaredErrorLoss();
        losses["l1"] = _ => new AbsoluteErrorLoss();
        losses["huber"] = o => new HuberLoss(o.HuberDelta);
        losses["bce"] = _ => new BinaryCrossEntropyLoss();
        foreach (var metric in new IMetric[] { new AccuracyMetric(), new MeanAbsoluteErrorMetric(), new RootMeanSquaredErrorMetric(), new R2Metric(),
                     new AucMetric(), ConfusionMetric.F1, ConfusionMetric.Precision, ConfusionMetric.Recall })
            metrics[metric.Name] = metric;
    }

    /// <summary>The built-in catalog.</summary>
    public static TaskCatalog BuiltIn { get; } = new();

    /// <summary>The names <c>Task:Loss</c> accepts.</summary>
    public IReadOnlyCollection<string> LossNames => losses.Keys;

    /// <summary>The names <c>Task:Metrics</c> accepts (and <c>topK_accuracy</c>).</summary>
    public IReadOnlyCollection<string> MetricNames => metrics.Keys;

    /// <summary>A copy with a plugin loss added under <paramref name="name"/>; throws when the name is taken.</summary>
    public TaskCatalog WithLoss(string name, Func<TaskOptions, ILoss> create)
    {
        var copy = Copy();
        if (!copy.losses.TryAdd(name, create)) throw new RecipeException($"Two losses are named '{name}'; rename the plugin's loss.");
        return copy;
    }

    /// <summary>A copy with a plugin metric added; throws when its name is taken.</summary>
    public TaskCatalog WithMetric(IMetric metric)
    {
        var copy = Copy();
        if (!copy.metrics.TryAdd(metric.Name, metric)) throw new RecipeException($"Two metrics are named '{metric.Name}'; rename the plugin's metric.");
        return copy;
    }

    /// <summary>The default loss of <paramref name="kind"/>.</summary>
    public static string DefaultLoss(TaskKind kind) => kind switch
    {
        TaskKind.Classification => "cross-entropy",
        TaskKind.Regression => "mse",
        _ => "bce",
    };

    /// <summary>The default metrics of <paramref name="kind"/>; the first is the task's primary metric.</summary>
    public static IReadOnlyList<string> DefaultMetrics(TaskKind kind) => kind switch
    {
        TaskKind.Classification => ["accuracy"],
        TaskKind.Regression => ["rmse", "mae", "r2"],
        TaskKind.Binary => ["accuracy", "auc", "f1"],
        _ => ["f1", "accuracy"],
    };

    /// <summary>
    /// The primary metric of a task: the first of <c>Task:Metrics</c>, else the first default of <c>Task:Kind</c> ("accuracy" for
    /// classification, "rmse" for regression, …); what search and experiment objectives, tables and plots default to.
    /// </summary>
    public static string PrimaryMetric(TaskOptions? options)
    {
        if (options?.Metrics is { Count: > 0 } listed && !string.IsNullOrWhiteSpace(listed[0])) return listed[0].Trim().ToLowerInvariant();
        return DefaultMetrics(TaskKinds.TryParse(options?.Kind ?? "classification", out var kind) ? kind : TaskKind.Classification)[0];
    }

    /// <summary>The loss <paramref name="options"/> name for <paramref name="kind"/>; adds a line to <paramref name="errors"/> when it does not fit.</summary>
    public ILoss? Loss(TaskOptions options, TaskKind kind, List<string> errors)
    {
        var name = string.IsNullOrWhiteSpace(options.Loss) ? DefaultLoss(kind) : options.Loss.Trim();
        if (!losses.TryGetValue(name, out var create))
        {
            errors.Add($"Task:Loss '{name}' is not known; use one of: {string.Join(", ", losses.Keys.Order())}.");
            return null;
        }
        var loss = create(options);
        if (loss.Supports(kind)) return loss;
        errors.Add($"Task:Loss '{name}' does not fit Task:Kind '{TaskKinds.Name(kind)}'; use {DefaultLoss(kind)} " +
                   $"or another of: {string.Join(", ", losses.Where(l => l.Value(options).Supports(kind)).Select(l => l.Key).Order())}.");
        return null;
    }

    /// <summary>The metrics <paramref name="options"/> names (or the kind's defaults); adds a line per problem to <paramref name="errors"/>.</summary>
    public IReadOnlyList<IMetric> Metrics(TaskOptions options, TaskKind kind, List<string> errors)
    {
        var names = options.Metrics is { Count: > 0 } listed ? listed : DefaultMetrics(kind);
        var chosen = new List<IMetric>();
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i]?.Trim() ?? "";
            IMetric? metric = TopK().Match(name) is { Success: true } m && int.TryParse(m.Groups[1].Value, out var k) && k >= 1 ? new TopKAccuracyMetric(k)
                : metrics.GetValueOrDefault(name);
            if (metric is null)
                errors.Add($"Task:Metrics:{i} '{name}' is not known; use one of: {string.Join(", ", metrics.Keys.Order())}, topK_accuracy (e.g. top5_accuracy).");
            else if (!metric.Supports(kind))
                errors.Add($"Task:Metrics:{i} '{name}' is not defined for Task:Kind '{TaskKinds.Name(kind)}'; " +
                           $"its metrics include {string.Join(", ", DefaultMetrics(kind))}.");
            else if (chosen.Any(c => string.Equals(c.Name, metric.Name, StringComparison.OrdinalIgnoreCase)))
                errors.Add($"Task:Metrics:{i} '{name}' is listed twice.");
            else chosen.Add(metric);
        }
        return chosen;
    }

    private TaskCatalog Copy()
    {
        var copy = new TaskCatalog();
        foreach (var (name, create) in losses) copy.losses[name] = create;
        foreach (var (name, metric) in metrics) copy.metrics[name] = metric;
        return copy;
    }

    [GeneratedRegex(@"^top(\d+)_accuracy$", RegexOptions.IgnoreCase)]
    private static partial Regex TopK();
}
