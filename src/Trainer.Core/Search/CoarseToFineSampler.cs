namespace Trainer.Search;

/// <summary>
/// The course's coarse-to-fine search: <see cref="CoarseTrials"/> random trials over the whole space, then rounds of
/// <see cref="RoundTrials"/> random trials inside the box spanned (on each dimension's own scale) by the best
/// <see cref="TopFraction"/> of the finished trials, widened by <see cref="Margin"/> of its size.
/// </summary>
/// <remarks>
/// Categorical dimensions (<paramref name="categoricalDimensions"/>) keep their whole range: their choices have no order
/// to shrink around. With several workers a round's box uses the trials that had finished when it was drawn.
/// </remarks>
public sealed class CoarseToFineSampler(int coarseTrials, double topFraction, int roundTrials, double margin = 0.1,
    IReadOnlySet<int>? categoricalDimensions = null) : ISampler
{
    /// <summary>Random trials before the first zoom.</summary>
    public int CoarseTrials { get; } = coarseTrials;

    /// <summary>Fraction of finished trials that define the zoomed box.</summary>
    public double TopFraction { get; } = topFraction;

    /// <summary>Trials per zoomed round (the box is recomputed at the start of each).</summary>
    public int RoundTrials { get; } = roundTrials;

    /// <summary>How much the box is widened on each side, as a fraction of its size.</summary>
    public double Margin { get; } = margin;

    /// <inheritdoc />
    public double[] Next(SamplerContext context)
    {
        var random = context.RandomFor();
        var (low, high) = Box(context);
        return Enumerable.Range(0, context.Dimensions).Select(d => low[d] + random.NextDouble() * (high[d] - low[d])).ToArray();
    }

    /// <summary>
    /// The box a trial samples from: the whole space during the coarse phase; in round r, the box around the best
    /// trials among those numbered before the round began (so every trial of a round shares one box).
    /// </summary>
    public (double[] Low, double[] High) Box(SamplerContext context)
    {
        var whole = (Enumerable.Repeat(0.0, context.Dimensions).ToArray(), Enumerable.Repeat(1.0, context.Dimensions).ToArray());
        if (context.TrialNumber < CoarseTrials) return whole;
        var roundStart = CoarseTrials + (context.TrialNumber - CoarseTrials) / RoundTrials * RoundTrials;
        var known = context.Finished.Where(t => t.Number < roundStart && double.IsFinite(t.Value)).ToList();
        if (known.Count == 0) return whole;
        var count = Math.Max(1, (int)Math.Ceiling(known.Count * TopFraction));
        var best = (context.Maximize ? known.OrderByDescending(t => t.Value) : known.OrderBy(t => t.Value))
            .Take(count).Select(t => t.Point).ToList();
        var low = new double[context.Dimensions];
        var high = new double[context.Dimensions];
        for (var d = 0; d < context.Dimensions; d++)
        {
            if (categoricalDimensions?.Contains(d) == true)
            {
                (low[d], high[d]) = (0, 1);
                continue;
            }
            var min = best.Min(p => p[d]);
            var max = best.Max(p => p[d]);
            var pad = Math.Max(Margin * (max - min), 0.02);
            low[d] = Math.Max(0, min - pad);
            high[d] = Math.Min(1, max + pad);
        }
        return (low, high);
    }
}
