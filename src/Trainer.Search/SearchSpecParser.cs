using System.Globalization;
using Microsoft.Extensions.Configuration;
using Trainer.Recipes;
using Trainer.Search;
using Trainer.Training;

namespace Trainer.Search;

/// <summary>Reads the <c>Search</c> section of a configuration and reports every problem at once, naming its path.</summary>
public static class SearchSpecParser
{
    /// <summary>Accepted values of <c>Search:Sampler:Type</c>.</summary>
    public static readonly IReadOnlyList<string> Samplers = ["Random", "Grid", "LatinHypercube", "CoarseToFine", "TPE", "NSGAII"];

    /// <summary>Accepted values of <c>Search:Pruner:Type</c>.</summary>
    public static readonly IReadOnlyList<string> Pruners = ["None", "Median", "SuccessiveHalving", "Hyperband"];

    /// <summary>Accepted values of <c>Search:Score</c>.</summary>
    public static readonly IReadOnlyList<string> Scores = ["best", "last"];

    /// <summary>Accepted values of a space entry's <c>Distribution</c>.</summary>
    public static readonly IReadOnlyList<string> Distributions = ["Uniform", "LogUniform", "OneMinusLogUniform", "IntUniform", "IntLogUniform", "Categorical"];

    /// <summary>Parses the section; throws <see cref="RecipeException"/> listing every problem.</summary>
    /// <param name="configuration">The recipe's configuration.</param>
    /// <param name="recipe">The bound recipe.</param>
    /// <param name="trials">The budget from the command line, overriding <c>Search:Trials</c>.</param>
    /// <param name="plugins">Plugins whose <c>[SamplerName]</c> samplers <c>Search:Sampler:Type</c> may name.</param>
    public static SearchSpec Parse(IConfiguration configuration, RecipeOptions recipe, int? trials = null, Trainer.Hosting.Plugins.PluginCatalog? plugins = null)
    {
        var errors = new List<string>();
        var search = configuration.GetSection("Search");
        if (!search.Exists()) throw new RecipeException("The recipe has no Search section: add one with Objective, Trials and a Space to search.");

        // By default the task's primary metric on the validation split: val_accuracy for a classifier, val_rmse for regression.
        var objective = search["Objective"] ?? $"{MetricNames.Val}_{Trainer.Tasks.TaskCatalog.PrimaryMetric(recipe.Task)}";
        var maximize = SearchObjectives.Maximize(objective, "Search:Objective", search["Direction"], "Search:Direction", errors);
        var objectives = SearchObjectives.Parse(search, errors);
        if (objectives.Count > 0)
            (objective, maximize) = (objectives[0].Metric, objectives[0].Maximize);
        var score = (search["Score"] ?? "best").ToLowerInvariant();
        if (!Scores.Contains(score))
            errors.Add($"Search:Score '{search["Score"]}' is not supported; use best (the best epoch's objective, the default) or last (the last epoch's).");
        var budget = trials ?? Int(search, "Trials", "Search:Trials", 20, errors);
        if (budget < 1) errors.Add($"Search:Trials must be at least 1 (got {budget}).");

        var space = new List<(string, IDistribution)>();
        var entries = Entries(search.GetSection("Space"), "").ToList();
        foreach (var (key, entry) in entries)
        {
            var path = $"Search:Space:{key}";
            var before = errors.Count;
            var distribution = Distribution(entry, path, errors);
            if (distribution is null || errors.Count > before) continue; // a missing or unreadable setting: its range rules would only repeat it
            errors.AddRange(distribution.Validate(path));
            space.Add((key, distribution));
        }
        if (entries.Count == 0) errors.Add("Search:Space is empty: name at least one configuration path to search, e.g. \"Optimizer:LearningRate\".");
        errors.AddRange(SearchSpaceKeys.Problems(entries.Select(e => e.Key), configuration, plugins));

        var sampler = Sampler(search.GetSection("Sampler"), space, errors, plugins);
        var prunerType = search["Pruner:Type"] ?? "None";
        if (!Pruners.Contains(prunerType, StringComparer.OrdinalIgnoreCase))
            errors.Add($"Search:Pruner:Type '{prunerType}' is not supported; use one of: {string.Join(", ", Pruners)}.");
        else if (objectives.Count > 0 && !prunerType.Equals("None", StringComparison.OrdinalIgnoreCase))
            errors.Add($"Search:Pruner:Type '{prunerType}' cannot prune a study with several Search:Objectives (a trial's rank needs every objective); use None.");
        if (objectives.Count > 0 && sampler is CoarseToFineSampler)
            errors.Add("Search:Sampler:Type 'CoarseToFine' narrows around the best value of one objective; with several Search:Objectives use TPE, NSGAII or Random.");
        var warmup = Int(search, "Pruner:Options:WarmupEpochs", "Search:Pruner:Options:WarmupEpochs", 0, errors);
        var minTrials = Int(search, "Pruner:Options:MinTrials", "Search:Pruner:Options:MinTrials", 1, errors);
        var minEpochs = Int(search, "Pruner:Options:MinEpochs", "Search:Pruner:Options:MinEpochs", 1, errors);
        var reduction = Int(search, "Pruner:Options:ReductionFactor", "Search:Pruner:Options:ReductionFactor", 3, errors);
        if (minEpochs < 1) errors.Add($"Search:Pruner:Options:MinEpochs must be at least 1 (got {minEpochs}).");
        if (reduction < 2) errors.Add($"Search:Pruner:Options:ReductionFactor must be at least 2 (got {reduction}).");
        var maxEpochs = Int(search, "Pruner:Options:MaxEpochs", "Search:Pruner:Options:MaxEpochs", recipe.Training.Epochs, errors);
        if (prunerType.Equals("Hyperband", StringComparison.OrdinalIgnoreCase) && minEpochs >= 1 && maxEpochs < minEpochs)
            errors.Add($"Search:Pruner:Options:MaxEpochs must be at least MinEpochs ({minEpochs}) (got {maxEpochs}); it defaults to Training:Epochs.");
        var staleAfter = Double(search, "StaleAfterSeconds", "Search:StaleAfterSeconds", 60, errors);
        if (!(staleAfter > 0)) errors.Add($"Search:StaleAfterSeconds must be greater than 0 (got {staleAfter}).");
        var maxFailures = Int(search, "MaxFailures", "Search:MaxFailures", Math.Max(10, budget), errors);

        if (errors.Count > 0) throw new RecipeException(errors);
        return new SearchSpec
        {
            Study = search["Study"] ?? recipe.Name, Objective = objective, Maximize = maximize, Objectives = objectives, Score = score, Trials = budget,
            Seed = search["Seed"] is { } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : recipe.Training.Seed,
            Space = space, Sampler = sampler!, Pruner = Pruners.First(p => p.Equals(prunerType, StringComparison.OrdinalIgnoreCase)),
            WarmupEpochs = warmup, MinTrials = minTrials, MinEpochs = minEpochs, MaxEpochs = maxEpochs,
            ReductionFactor = reduction, StaleAfter = TimeSpan.FromSeconds(staleAfter), MaxFailures = maxFailures,
        };
    }

    /// <summary>
    /// The space's entries: a key such as "Optimizer:LearningRate" is itself a configuration path, so an entry is any
    /// section below Space that has a Distribution (or, misspelt, no further sections).
    /// </summary>
    private static IEnumerable<(string Key, IConfigurationSection Entry)> Entries(IConfigurationSection section, string prefix)
    {
        foreach (var child in section.GetChildren())
        {
            var key = prefix.Length == 0 ? child.Key : $"{prefix}:{child.Key}";
            var grandchildren = child.GetChildren().ToList();
            if (child["Distribution"] is not null || grandchildren.Count == 0 || grandchildren.All(g => !g.GetChildren().Any()))
                yield return (key, child);
            else
                foreach (var entry in Entries(child, key)) yield return entry;
        }
    }

    private static IDistribution? Distribution(IConfigurationSection entry, string path, List<string> errors)
    {
        var kind = entry["Distribution"];
        double Number(string key) => Double(entry, key, $"{path}:{key}", errors);
        long Integer(string key) => (long)Math.Round(Number(key));
        switch (kind?.ToLowerInvariant())
        {
            case "uniform": return new UniformDistribution(Number("Min"), Number("Max"));
            case "loguniform": return new LogUniformDistribution(Number("Min"), Number("Max"));
            case "oneminusloguniform": return new OneMinusLogUniformDistribution(Number("Min"), Number("Max"));
            case "intuniform": return new IntUniformDistribution(Integer("Min"), Integer("Max"));
            case "intloguniform": return new IntLogUniformDistribution(Integer("Min"), Integer("Max"));
            case "categorical":
                return new CategoricalDistribution(entry.GetSection("Choices").GetChildren().OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture))
                    .Select(c => c.Value ?? "").ToList());
            default:
                errors.Add($"{path}:Distribution '{kind}' is not supported; use one of: {string.Join(", ", Distributions)}.");
                return null;
        }
    }

    // Defaults do not depend on the budget, so resuming a study with a larger --trials keeps its phases.
    private static ISampler? Sampler(IConfigurationSection section, IReadOnlyList<(string Path, IDistribution Distribution)> space, List<string> errors,
        Trainer.Hosting.Plugins.PluginCatalog? plugins)
    {
        var type = section["Type"] ?? "Random";
        var options = section.GetSection("Options");
        if (!Samplers.Contains(type, StringComparer.OrdinalIgnoreCase) && plugins?.Samplers.Contains(type, StringComparer.OrdinalIgnoreCase) == true)
            return plugins.CreateSampler(type, options, errors) is { } custom && Tried(custom, type, space.Count, errors) ? custom : null;
        int Option(string key, int fallback) => Int(options, key, $"Search:Sampler:Options:{key}", fallback, errors);
        switch (type.ToLowerInvariant())
        {
            case "random": return new RandomSampler();
            case "grid": return new GridSampler(Math.Max(1, Option("PointsPerDimension", 3)));
            case "latinhypercube": return new LatinHypercubeSampler(Math.Max(1, Option("BatchSize", 10)));
            case "nsgaii":
                double? Probability(string key)
                {
                    if (options[key] is null) return null;
                    var p = Double(options, key, $"Search:Sampler:Options:{key}", errors);
                    if (!(p is >= 0 and <= 1)) errors.Add($"Search:Sampler:Options:{key} must be in [0, 1] (got {p}).");
                    return p;
                }
                var population = Option("PopulationSize", 50);
                if (population < 2) errors.Add($"Search:Sampler:Options:PopulationSize must be at least 2 (got {population}).");
                return new NsgaIISampler(Math.Max(2, population), Probability("MutationProbability"), Probability("CrossoverProbability") ?? 0.9,
                    Probability("SwappingProbability") ?? 0.5);
            case "coarsetofine":
                var top = Double(options, "TopFraction", "Search:Sampler:Options:TopFraction", 0.25, errors);
                if (!(top > 0 && top <= 1)) errors.Add($"Search:Sampler:Options:TopFraction must be in (0, 1] (got {top}).");
                var categorical = space.Select((d, i) => (d, i)).Where(x => x.d.Distribution is CategoricalDistribution).Select(x => x.i).ToHashSet();
                return new CoarseToFineSampler(Option("CoarseTrials", 10), top, Math.Max(1, Option("RoundTrials", 5)), categoricalDimensions: categorical);
            case "tpe":
                var defaults = new TpeOptions();
                var tpe = new TpeOptions
                {
                    StartupTrials = Option("StartupTrials", defaults.StartupTrials), Candidates = Option("Candidates", defaults.Candidates),
                    PriorWeight = Double(options, "PriorWeight", "Search:Sampler:Options:PriorWeight", defaults.PriorWeight, errors),
                    GammaFraction = Double(options, "GammaFraction", "Search:Sampler:Options:GammaFraction", defaults.GammaFraction, errors),
                    GammaMax = Option("GammaMax", defaults.GammaMax),
                    Multivariate = Bool(options, "Multivariate", defaults.Multivariate, errors),
                    ConstantLiar = Bool(options, "ConstantLiar", defaults.ConstantLiar, errors),
                    MagicClip = Bool(options, "MagicClip", defaults.MagicClip, errors),
                    ConsiderEndpoints = Bool(options, "ConsiderEndpoints", defaults.ConsiderEndpoints, errors),
                    WidthWeightedScores = Bool(options, "WidthWeightedScores", defaults.WidthWeightedScores, errors),
                };
                errors.AddRange(tpe.Validate("Search:Sampler:Options"));
                return new TpeSampler(space.Select(d => d.Distribution).ToList(), tpe);
            default:
                errors.Add($"Search:Sampler:Type '{type}' is not supported; use one of: {string.Join(", ", Samplers.Concat(plugins?.Samplers ?? []))}.");
                return null;
        }
    }

    /// <summary>Asks a plugin sampler for a first point before the search starts, so a sampler that cannot serve this space fails as one line.</summary>
    private static bool Tried(ISampler sampler, string type, int dimensions, List<string> errors)
    {
        try
        {
            var point = sampler.Next(new SamplerContext(0, dimensions, 0, [], Maximize: true));
            if (point.Length == dimensions && point.All(x => x is >= 0 and < 1)) return true;
            errors.Add($"Search:Sampler:Type '{type}' gave a point of {point.Length} coordinates ({string.Join(", ", point.Take(5))}); " +
                       $"a sampler must give {dimensions}, each in [0, 1).");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException)
        {
            errors.Add($"Search:Sampler:Type '{type}' cannot sample this space: {e.Message}");
        }
        return false;
    }

    private static bool Bool(IConfiguration options, string key, bool fallback, List<string> errors)
    {
        var text = options[key];
        if (text is null) return fallback;
        if (bool.TryParse(text, out var value)) return value;
        errors.Add($"Search:Sampler:Options:{key} '{text}' is not true or false.");
        return fallback;
    }

    private static int Int(IConfiguration section, string key, string path, int fallback, List<string> errors)
    {
        var text = section[key];
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
        errors.Add($"{path} '{text}' is not a whole number.");
        return fallback;
    }

    private static double Double(IConfiguration section, string key, string path, List<string> errors) =>
        Double(section, key, path, double.NaN, errors, required: true);

    private static double Double(IConfiguration section, string key, string path, double fallback, List<string> errors, bool required = false)
    {
        var text = section[key];
        if (text is null)
        {
            if (required) errors.Add($"{path} is required.");
            return fallback;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        errors.Add($"{path} '{text}' is not a number.");
        return fallback;
    }
}
