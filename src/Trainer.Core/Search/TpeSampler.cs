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
/// Pruned trials count as worse than every complete one and rank among themselves by their last value (Optuna ranks them
/// by their last step first; the study store does not hand samplers the step). Failed trials are ignored. With
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
        if (context.Finished.Count < Options.StartupTrials || context.Finished.Count == 0)
        {
            var uniform = context.RandomFor(); // the Random sampler's draw, so the start-up trials are the Random sampler's
            return Enumerable.Range(0, context.Dimensions).Select(_ => uniform.NextDouble()).ToArray();
        }
        var (good, bad) = Split(context);
        var random = context.RandomFor(salt: 1);
        if (Options.Multivariate) return Best(good, bad, dimensions, random);
        var point = new double[dimensions.Length];
        for (var d = 0; d < dimensions.Length; d++)
            point[d] = Best(good.Select(p => new[] { p[d] }).ToList(), bad.Select(p => new[] { p[d] }).ToList(), [dimensions[d]], random)[0];
        return point;
    }

    /// <summary>
    /// The good and bad trials' points, each in trial order: finished trials ranked complete before pruned and by value in
    /// the study's direction (ties by trial number), the best <see cref="TpeOptions.GoodCount"/> good; running trials bad.
    /// </summary>
    public (IReadOnlyList<double[]> Good, IReadOnlyList<double[]> Bad) Split(SamplerContext context)
    {
        var sign = context.Maximize ? -1.0 : 1.0;
        var ranked = context.Finished
            .OrderBy(t => context.Pruned.Contains(t.Number) ? 1 : 0).ThenBy(t => sign * t.Value).ThenBy(t => t.Number).ToList();
        var goodCount = Options.GoodCount(context.Finished.Count);
        var good = ranked.Take(goodCount).OrderBy(t => t.Number).Select(t => t.Point).ToList();
        var bad = ranked.Skip(goodCount).OrderBy(t => t.Number).Select(t => t.Point).ToList();
        if (Options.ConstantLiar) bad.AddRange(context.Running);
        return (good, bad);
    }

    private double[] Best(IReadOnlyList<double[]> good, IReadOnlyList<double[]> bad, IReadOnlyList<SearchDimension> space, Random random)
    {
        var l = new ParzenEstimator(good, space, Options);
        var g = new ParzenEstimator(bad, space, Options);
        double[]? best = null;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < Options.Candidates; c++)
        {
            var candidate = l.Sample(random);
            var score = l.LogDensity(candidate) - g.LogDensity(candidate);
            if (best is null || score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }
        return best!;
    }
}
