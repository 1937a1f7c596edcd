namespace Trainer.Search;

/// <summary>A full grid of <paramref name="pointsPerDimension"/> cell centres per dimension, visited in order (for comparison with random search).</summary>
public sealed class GridSampler(int pointsPerDimension) : ISampler
{
    /// <inheritdoc />
    public double[] Next(SamplerContext context)
    {
        var point = new double[context.Dimensions];
        long index = context.TrialNumber;
        for (var d = 0; d < point.Length; d++)
        {
            point[d] = (index % pointsPerDimension + 0.5) / pointsPerDimension;
            index /= pointsPerDimension;
        }
        return point;
    }
}
