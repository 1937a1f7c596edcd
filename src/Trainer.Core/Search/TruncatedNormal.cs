using MathNet.Numerics.Distributions;

namespace Trainer.Search;

/// <summary>The normal distribution N(μ, σ²) truncated to [<c>low</c>, <c>high</c>]: the log-mass of an interval and sampling.</summary>
internal static class TruncatedNormal
{
    /// <summary>log P(a ≤ X ≤ b) of the untruncated N(μ, σ²), computed on the side of μ where it keeps its precision.</summary>
    public static double LogMass(double a, double b, double mu, double sigma)
    {
        var lo = (a - mu) / sigma;
        var hi = (b - mu) / sigma;
        // Φ is precise for negative arguments (it is erfc there): mirror an interval that lies right of μ.
        var mass = lo > 0 ? Normal.CDF(0, 1, -lo) - Normal.CDF(0, 1, -hi) : Normal.CDF(0, 1, hi) - Normal.CDF(0, 1, lo);
        return Math.Log(Math.Max(mass, 0));
    }

    /// <summary>A draw by inverting the CDF between the truncation points.</summary>
    public static double Sample(Random random, double mu, double sigma, double low, double high)
    {
        var a = Normal.CDF(0, 1, (low - mu) / sigma);
        var b = Normal.CDF(0, 1, (high - mu) / sigma);
        var u = a + random.NextDouble() * (b - a);
        var x = mu + sigma * Normal.InvCDF(0, 1, u);
        return double.IsFinite(x) ? Math.Clamp(x, low, high) : Math.Clamp(mu, low, high);
    }
}
