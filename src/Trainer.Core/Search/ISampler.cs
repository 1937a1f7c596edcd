namespace Trainer.Search;

/// <summary>Chooses the next trial's point in the unit hypercube of a search space (one coordinate per dimension).</summary>
public interface ISampler
{
    /// <summary>The next point, each coordinate in [0, 1).</summary>
    double[] Next(SamplerContext context);
}
