namespace Trainer.Search;

/// <summary>
/// NSGA-II (Deb et al. 2002), as Optuna's NSGAIISampler: trial n belongs to generation n / PopulationSize; the first
/// generation is random; each later one breeds from the elite of the generations before it (the best PopulationSize
/// trials by non-domination rank, the last front cut by crowding distance). A child takes two parents, each the winner of
/// a binary tournament on (rank, crowding distance), mixes their coordinates by uniform crossover, and mutates each
/// coordinate (re-draws it uniformly) with the mutation probability. Everything lives in the unit hypercube, so each
/// dimension keeps its own scale. In a single-objective study the trials are ranked by their value.
/// </summary>
/// <param name="populationSize">Trials per generation (at least 2). Default: 50.</param>
/// <param name="mutationProbability">Per coordinate; null: 1 / dimensions.</param>
/// <param name="crossoverProbability">Chance that a child has two parents rather than copying one. Default: 0.9.</param>
/// <param name="swappingProbability">In crossover, the chance that a coordinate comes from the second parent. Default: 0.5.</param>
public sealed class NsgaIISampler(int populationSize = 50, double? mutationProbability = null, double crossoverProbability = 0.9,
    double swappingProbability = 0.5) : ISampler
{
    /// <summary>Trials per generation.</summary>
    public int PopulationSize { get; } = populationSize >= 2 ? populationSize : throw new ArgumentOutOfRangeException(nameof(populationSize), "must be at least 2");

    /// <inheritdoc />
    public double[] Next(SamplerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var random = context.RandomFor();
        var generation = context.TrialNumber / PopulationSize;
        var elite = generation == 0 ? [] : Elite(Individuals(context), generation, Directions(context));
        if (elite.Count == 0) return Enumerable.Range(0, context.Dimensions).Select(_ => random.NextDouble()).ToArray();

        var (ranks, crowding) = RankAndCrowding(elite, Directions(context));
        var first = Tournament(Enumerable.Range(0, elite.Count).ToList(), ranks, crowding, random);
        var second = first;
        if (elite.Count > 1 && random.NextDouble() < crossoverProbability)
            second = Tournament(Enumerable.Range(0, elite.Count).Where(i => i != first).ToList(), ranks, crowding, random);
        var mutation = mutationProbability ?? 1.0 / Math.Max(1, context.Dimensions);
        var child = new double[context.Dimensions];
        for (var d = 0; d < child.Length; d++)
        {
            child[d] = random.NextDouble() < swappingProbability ? elite[second].Point[d] : elite[first].Point[d];
            if (random.NextDouble() < mutation) child[d] = random.NextDouble();
        }
        return child;
    }

    private sealed record Individual(int Number, double[] Point, double[] Values);

    /// <summary>The finished trials the sampler can rank: complete ones (not pruned) with every objective finite and a point of this space.</summary>
    private static List<Individual> Individuals(SamplerContext context)
    {
        var individuals = new List<Individual>();
        foreach (var (number, point, value) in context.Finished.OrderBy(f => f.Number))
        {
            if (context.Pruned.Contains(number) || point.Length != context.Dimensions) continue;
            double[]? values = context.ObjectiveValues is { } vectors ? vectors.GetValueOrDefault(number) : [value];
            if (values is null || values.Length != Directions(context).Count || !values.All(double.IsFinite)) continue;
            individuals.Add(new Individual(number, point, values));
        }
        return individuals;
    }

    private static IReadOnlyList<bool> Directions(SamplerContext context) => context.ObjectiveMaximize ?? [context.Maximize];

    /// <summary>The parent population of <paramref name="generation"/>: each earlier generation joins the elite so far and is cut back to the population size.</summary>
    private List<Individual> Elite(List<Individual> individuals, int generation, IReadOnlyList<bool> directions)
    {
        var elite = new List<Individual>();
        for (var g = 0; g < generation; g++)
        {
            var population = individuals.Where(i => i.Number / PopulationSize == g).Concat(elite).ToList();
            elite = [];
            var ranks = Pareto.Ranks(population.Select(i => i.Values).ToList(), directions);
            foreach (var front in population.Select((individual, i) => (individual, rank: ranks[i])).GroupBy(x => x.rank).OrderBy(f => f.Key))
            {
                var members = front.Select(x => x.individual).ToList();
                if (elite.Count + members.Count <= PopulationSize)
                {
                    elite.AddRange(members);
                    continue;
                }
                var distances = Pareto.CrowdingDistances(members.Select(m => m.Values).ToList());
                elite.AddRange(members.Select((m, i) => (m, d: distances[i])).OrderByDescending(x => x.d).ThenBy(x => x.m.Number)
                    .Take(PopulationSize - elite.Count).Select(x => x.m));
                break;
            }
        }
        return elite;
    }

    /// <summary>Each individual's rank and its crowding distance within its front.</summary>
    private static (int[] Ranks, double[] Crowding) RankAndCrowding(List<Individual> population, IReadOnlyList<bool> maximize)
    {
        var ranks = Pareto.Ranks(population.Select(i => i.Values).ToList(), maximize);
        var crowding = new double[population.Count];
        foreach (var front in Enumerable.Range(0, population.Count).GroupBy(i => ranks[i]))
        {
            var members = front.ToList();
            var distances = Pareto.CrowdingDistances(members.Select(i => population[i].Values).ToList());
            for (var k = 0; k < members.Count; k++) crowding[members[k]] = distances[k];
        }
        return (ranks, crowding);
    }

    /// <summary>Two candidates drawn with replacement; the lower rank wins, then the larger crowding distance, then the first drawn.</summary>
    private static int Tournament(List<int> candidates, int[] ranks, double[] crowding, Random random)
    {
        var a = candidates[random.Next(candidates.Count)];
        var b = candidates[random.Next(candidates.Count)];
        return ranks[b] < ranks[a] || (ranks[b] == ranks[a] && crowding[b] > crowding[a]) ? b : a;
    }
}
