namespace Trainer.Search;

/// <summary>Independent uniform draws on every dimension's own scale: the course's advice over a grid.</summary>
public sealed class RandomSampler : ISampler
{
    /// <inheritdoc />
    public double[] Next(SamplerContext context)
    {
        var random = context.RandomFor();
        return Enumerable.Range(0, context.Dimensions).Select(_ => random.NextDouble()).ToArray();
    }
}
