namespace Trainer.Statistics;

/// <summary>
/// An exponentially weighted moving average of a scalar: v_t = β·v_{t−1} + (1−β)·θ_t with v_0 = 0, read with bias
/// correction v_t / (1 − β^t) by default. It averages over roughly the last 1/(1−β) values.
/// </summary>
public sealed class ExponentialMovingAverage
{
    private double raw;
    private double betaPower = 1;

    /// <summary>Creates the average.</summary>
    /// <param name="beta">The decay β in [0, 1).</param>
    /// <param name="biasCorrection">Divide by 1 − β^t when reading <see cref="Value"/>. Default: true.</param>
    public ExponentialMovingAverage(double beta, bool biasCorrection = true)
    {
        if (!(beta >= 0 && beta < 1)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be in [0, 1).");
        Beta = beta;
        BiasCorrection = biasCorrection;
    }

    /// <summary>The decay β.</summary>
    public double Beta { get; }

    /// <summary>Whether <see cref="Value"/> is bias-corrected.</summary>
    public bool BiasCorrection { get; }

    /// <summary>How many values were added (t).</summary>
    public long Count { get; private set; }

    /// <summary>The effective window 1/(1−β).</summary>
    public double EffectiveWindow => 1 / (1 - Beta);

    /// <summary>β^t, the running product used by the bias correction (saved with the state so a restore is exact).</summary>
    public double BetaPower => betaPower;

    /// <summary>v_t without bias correction.</summary>
    public double RawValue => raw;

    /// <summary>The average: v_t / (1 − β^t) with bias correction, else v_t; NaN before the first value.</summary>
    public double Value => Count == 0 ? double.NaN : BiasCorrection ? raw / (1 - betaPower) : raw;

    /// <summary>Adds θ_t.</summary>
    public void Update(double value)
    {
        raw = Beta * raw + (1 - Beta) * value;
        betaPower *= Beta;
        Count++;
    }

    /// <summary>Restores a state saved from <see cref="RawValue"/>, <see cref="Count"/> and <see cref="BetaPower"/> (β^t when omitted).</summary>
    public void Restore(double rawValue, long count, double? betaPower = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        raw = rawValue;
        Count = count;
        this.betaPower = betaPower ?? Math.Pow(Beta, count);
    }
}
