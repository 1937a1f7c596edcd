using static TorchSharp.torch;

namespace Trainer.Statistics;

/// <summary>
/// An exponentially weighted moving average of a tensor, kept on the tensor's device:
/// v_t = β·v_{t−1} + (1−β)·θ_t with v_0 = 0, bias-corrected on read. <see cref="Update"/> never synchronises with the
/// host, so it can run on every step; only reading <see cref="Value"/> as a number does.
/// </summary>
public sealed class TensorExponentialMovingAverage : IDisposable
{
    private readonly TorchSharp.Scalar betaScalar;
    private readonly TorchSharp.Scalar weightScalar;
    private Tensor? raw;
    private double betaPower = 1;

    /// <summary>Creates the average.</summary>
    /// <param name="beta">The decay β in [0, 1).</param>
    /// <param name="biasCorrection">Divide by 1 − β^t when reading. Default: true.</param>
    public TensorExponentialMovingAverage(double beta, bool biasCorrection = true)
    {
        if (!(beta >= 0 && beta < 1)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be in [0, 1).");
        Beta = beta;
        BiasCorrection = biasCorrection;
        // Made once: a double passed to a tensor op becomes a native Scalar each time, left to the finalizer.
        betaScalar = beta;
        weightScalar = 1 - beta;
    }

    /// <summary>The decay β.</summary>
    public double Beta { get; }

    /// <summary>Whether reads are bias-corrected.</summary>
    public bool BiasCorrection { get; }

    /// <summary>How many values were added (t).</summary>
    public long Count { get; private set; }

    /// <summary>β^t, the running product used by the bias correction (saved with the state so a restore is exact).</summary>
    public double BetaPower => betaPower;

    /// <summary>v_t without bias correction (a live tensor owned by this object); null before the first update.</summary>
    public Tensor? RawValue => raw;

    /// <summary>Adds θ_t in place, on θ's device, without a host sync. θ is not kept.</summary>
    public void Update(Tensor value)
    {
        using var noGrad = no_grad();
        if (raw is null)
        {
            raw = zeros_like(value, dtype: ScalarType.Float32).DetachFromDisposeScope();
        }
        else if (raw.device != value.device)
        {
            // A restored state lives on the CPU until the first update shows where training runs.
            var moved = raw.to(value.device).DetachFromDisposeScope();
            raw.Dispose();
            raw = moved;
        }
        raw.mul_(betaScalar).add_(value.detach(), alpha: weightScalar);
        betaPower *= Beta;
        Count++;
    }

    /// <summary>The bias-corrected average as a new tensor (the caller disposes it); null before the first update.</summary>
    public Tensor? Value()
    {
        if (raw is null) return null;
        return BiasCorrection ? raw / (1 - betaPower) : raw.clone();
    }

    /// <summary>Reads a scalar average as a number (one host sync); NaN before the first update.</summary>
    public double ToDouble()
    {
        using var value = Value();
        if (value is null) return double.NaN;
        using var asDouble = value.to_type(ScalarType.Float64);
        return asDouble.item<double>();
    }

    /// <summary>Restores a state: the raw value v_t (copied), t and β^t (computed when omitted).</summary>
    public void Restore(Tensor rawValue, long count, double? betaPower = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        raw?.Dispose();
        raw = rawValue.detach().to_type(ScalarType.Float32).clone().DetachFromDisposeScope();
        Count = count;
        this.betaPower = betaPower ?? Math.Pow(Beta, count);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        raw?.Dispose();
        betaScalar.Dispose();
        weightScalar.Dispose();
    }
}
