namespace Trainer.Search;

/// <summary>
/// Latin hypercube in batches of <paramref name="batchSize"/> trials: within a batch, every dimension's range is cut
/// into that many strata and each stratum is used exactly once, so few trials still cover every range evenly.
/// </summary>
public sealed class LatinHypercubeSampler(int batchSize) : ISampler
{
    /// <inheritdoc />
    public double[] Next(SamplerContext context)
    {
        var batch = context.TrialNumber / batchSize;
        var slot = context.TrialNumber % batchSize;
        var batchContext = context with { TrialNumber = batch };
        var jitter = context.RandomFor(salt: 1);
        var point = new double[context.Dimensions];
        for (var d = 0; d < point.Length; d++)
        {
            // The batch's permutation of strata for dimension d, the same for every trial of the batch.
            var strata = Enumerable.Range(0, batchSize).ToArray();
            batchContext.RandomFor(salt: 100 + d).Shuffle(strata);
            point[d] = (strata[slot] + jitter.NextDouble()) / batchSize;
        }
        return point;
    }
}
