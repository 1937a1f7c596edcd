namespace Trainer.Search;

/// <summary>
/// The Tree-structured Parzen Estimator (Bergstra et al. 2011), as Optuna 3.1's <c>TPESampler</c>: after
/// <see cref="TpeOptions.StartupTrials"/> random trials, the finished trials are split into the best
/// min(⌈γ·n⌉, GammaMax) ("good") and the rest; a Parzen estimator l(x) is fitted to the good trials' points and g(x) to
/// the others', <see cref="TpeOptions.Candidates"/> points are drawn from l and the one with the largest l(x)/g(x) is
/// suggested — for each dimension on its own (default) or jointly (<see cref="TpeOptions.Multivariate"/>). It works in
/// the unit hypercube, so every dimension is modelled on its own scale: log for LogUniform and IntLogUniform, log of 1−β
/// for OneMinusLogUniform, cells for IntUniform, categories for Categorical.
/// </summary>
/// <remarks>
/// Several objectives (a study with <c>Search:Objectives</c>) are handled as Optuna's multi-objective TPE (see
/// <see cref="Split"/>). Pruned trials count as worse than every complete one and rank among themselves as in Optuna: the one
/// pruned at a later epoch first, then by the last value it reported; one that reported nothing last. Failed trials are ignored. With
/// <see cref="TpeOptions.ConstantLiar"/> the trials other workers are running join the bad set. Everything comes from the
/// study store and the study's seed, so a resumed or shared study suggests what an uninterrupted one would.
/// </remarks>
public sealed class TpeSampler : ISampler
{
    private readonly SearchDimension[] dimensions;

    /// <summary>Creates the sampler for a space.</summary>
    /// <param name="space">The space's distributions, in the order of the point's coordinates.</param>
    /// <param name="options">The settings (default: Optuna's, with the constant liar on).</param>
    public TpeSampler(IReadOnlyList<IDistribution> space, TpeOptions? options = null)
    {
        dimensions = space.Select(SearchDimension.Of).ToArray();
        Options = options ?? new TpeOptions();
    }

    /// <summary>The settings.</summary>
    public TpeOptions Options { get; }

    /// <inheritdoc />
    public double[] Next(SamplerContext context)
    {
        if (context.Dimensions != dimensions.Length)
            throw new ArgumentException($"the sampler was built for {dimensions.Length} dimensions, the study has {context.Dimensions}.", nameof(context));
        var learnable = context.ObjectiveValues is { } vectors && context.ObjectiveMaximize is { Count: > 1 } ? vectors.Count : context.Finished.Count;
        if (learnable < Options.StartupTrials || learnable == 0)
        {
            var uniform = context.RandomFor(); // the Random sampler's draw, so the start-up trials are the Random sampler's
            return Enumerable.Range(0, context.Dimensions).Select(_ => uniform.NextDouble()).ToArray();
        }
        var (good, bad, weights) = Split(context);
        var random = context.RandomFor(salt: 1);
        if (Options.Multivariate) return Best(good, weights, bad, dimensions, random);
        var point = new double[dimensions.Length];
        for (var d = 0; d < dimensions.Length; d++)
            point[d] = Best(good.Select(p => new[] { p[d] }).ToList(), weights, bad.Select(p => new[] { p[d] }).ToList(), [dimensions[d]], random)[0];
        return point;
    }

    /// <summary>
    /// The good and bad trials' points (each in trial order) and the good ones' kernel weights. One objective: finished
    /// trials ranked complete before pruned (those pruned later first), then by value in the study's direction (ties by trial number), the best
    /// <see cref="TpeOptions.GoodCount"/> good, with recency weights. Several objectives (Optuna's MOTPE): complete trials
    /// by non-dominated rank, the last rank that does not fit whole chosen greedily by hypervolume contribution, and the
    /// good trials weighted by their share of the good set's hypervolume. With the constant liar, running trials are bad.
    /// </summary>
    public (IReadOnlyList<double[]> Good, IReadOnlyList<double[]> Bad, IReadOnlyList<double> GoodWeights) Split(SamplerContext context)
    {
        List<double[]> good, bad;
        IReadOnlyList<double> weights;
        if (context.ObjectiveValues is { Count: > 0 } vectors && context.ObjectiveMaximize is { Count: > 1 } maximize)
        {
            var trials = context.Finished.Where(t => vectors.ContainsKey(t.Number)).OrderBy(t => t.Number).ToList();
            // As losses to minimise: maximised objectives negated.
            var losses = trials.Select(t => vectors[t.Number].Select((v, k) => maximize[k] ? -v : v).ToArray()).ToList();
            var chosen = GoodByRankAndHypervolume(losses, Options.GoodCount(trials.Count));
            good = chosen.Select(i => trials[i].Point).ToList();
            bad = Enumerable.Range(0, trials.Count).Where(i => !chosen.Contains(i)).Select(i => trials[i].Point).ToList();
            weights = HypervolumeWeights(chosen.Select(i => losses[i]).ToList());
        }
        else
        {
            var sign = context.Maximize ? -1.0 : 1.0;
            // Optuna's score (−step, value): complete trials first (step −∞), then pruned ones, the later pruned first; a pruned
            // trial that reported no epoch after every other.
            var ranked = context.Finished
                .OrderBy(t => !context.Pruned.Contains(t.Number) ? 0 : context.PrunedAtEpoch.ContainsKey(t.Number) ? 1 : 2)
                .ThenByDescending(t => context.PrunedAtEpoch.GetValueOrDefault(t.Number))
                .ThenBy(t => sign * t.Value).ThenBy(t => t.Number).ToList();
            var goodCount = Options.GoodCount(context.Finished.Count);
            good = ranked.Take(goodCount).OrderBy(t => t.Number).Select(t => t.Point).ToList();
            bad = ranked.Skip(goodCount).OrderBy(t => t.Number).Select(t => t.Point).ToList();
            weights = TpeOptions.RecencyWeights(good.Count);
        }
        if (Options.ConstantLiar) bad.AddRange(context.Running);
        return (good, bad, weights);
    }

    /// <summary>The indices (ascending) of the <paramref name="count"/> good trials among <paramref name="losses"/>.</summary>
    private static SortedSet<int> GoodByRankAndHypervolume(IReadOnlyList<double[]> losses, int count)
    {
        var minimise = Enumerable.Repeat(false, losses[0].Length).ToArray();
        var ranks = Pareto.Ranks(losses, minimise);
        var chosen = new SortedSet<int>();
        for (var rank = 0; chosen.Count < count; rank++)
        {
            var level = Enumerable.Range(0, losses.Count).Where(i => ranks[i] == rank).ToList();
            if (chosen.Count + level.Count <= count)
            {
                chosen.UnionWith(level);
                continue;
            }
            // Hypervolume subset selection, greedily: add the point that adds the most volume to what is chosen of this rank.
            var levelLosses = level.Select(i => losses[i]).ToList();
            var reference = Reference(levelLosses);
            var picked = new List<double[]>();
            while (chosen.Count < count)
            {
                var before = picked.Count == 0 ? 0 : Pareto.Hypervolume(picked, minimise, reference);
                var best = level.Where(i => !chosen.Contains(i)).MaxBy(i => Pareto.Hypervolume([.. picked, losses[i]], minimise, reference) - before);
                chosen.Add(best);
                picked.Add(losses[best]);
            }
        }
        return chosen;
    }

    /// <summary>Each good trial's hypervolume contribution over the largest (plus ε), as Optuna's MOTPE weighs its good kernels.</summary>
    private static double[] HypervolumeWeights(IReadOnlyList<double[]> losses)
    {
        if (losses.Count <= 1) return Enumerable.Repeat(1.0, losses.Count).ToArray();
        var minimise = Enumerable.Repeat(false, losses[0].Length).ToArray();
        var reference = Reference(losses);
        var total = Pareto.Hypervolume(losses, minimise, reference);
        var contributions = losses.Select((_, i) => total - Pareto.Hypervolume(losses.Where((_, j) => j != i).ToList(), minimise, reference) + 1e-12).ToArray();
        var largest = contributions.Max();
        return contributions.Select(c => Math.Clamp(c / largest, 0, 1)).ToArray();
    }

    /// <summary>Optuna's reference point: max(1.1·worst, 0.9·worst) per objective (ε where that is 0).</summary>
    private static double[] Reference(IReadOnlyList<double[]> losses) =>
        Enumerable.Range(0, losses[0].Length).Select(k =>
        {
            var worst = losses.Max(l => l[k]);
            var reference = Math.Max(1.1 * worst, 0.9 * worst);
            return reference == 0 ? 1e-12 : reference;
        }).ToArray();

    private double[] Best(IReadOnlyList<double[]> good, IReadOnlyList<double> goodWeights, IReadOnlyList<double[]> bad, IReadOnlyList<SearchDimension> space, Random random)
    {
        var l = new ParzenEstimator(good, space, Options, goodWeights);
        var g = new ParzenEstimator(bad, space, Options);
        double[]? best = null;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < Options.Candidates; c++)
        {
            var candidate = l.Sample(random);
            var score = Options.WidthWeightedScores ? l.LogScore(candidate) - g.LogScore(candidate) : l.LogDensity(candidate) - g.LogDensity(candidate);
            if (best is null || score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }
        return best!;
    }
}
