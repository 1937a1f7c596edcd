using Trainer.Search;

namespace Example.Extensions;

/// <summary>
/// A quasi-random search: trial n gets point n + Skip of the Halton sequence (dimension d uses the radical inverse in
/// the d-th prime base), which covers the space more evenly than independent random draws while staying a random-like,
/// not a grid, design. Each coordinate is then mapped to its parameter's own scale by the search space.
/// </summary>
[SamplerName("Halton")]
public sealed class HaltonSampler(HaltonSamplerOptions options) : ISampler
{
    private static readonly int[] Primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53];

    /// <inheritdoc />
    public double[] Next(SamplerContext context)
    {
        if (context.Dimensions > Primes.Length)
            throw new ArgumentException($"Halton supports up to {Primes.Length} searched parameters (got {context.Dimensions}).");
        var index = context.TrialNumber + options.Skip;
        return [.. Enumerable.Range(0, context.Dimensions).Select(d => RadicalInverse(index, Primes[d]))];
    }

    /// <summary>The digits of <paramref name="index"/> in <paramref name="radix"/>, mirrored about the radix point: 0.d1 d2 d3…</summary>
    public static double RadicalInverse(int index, int radix)
    {
        var result = 0.0;
        var fraction = 1.0 / radix;
        for (var i = index; i > 0; i /= radix)
        {
            result += (i % radix) * fraction;
            fraction /= radix;
        }
        return result;
    }
}
