using static TorchSharp.torch;

namespace Trainer.Statistics;

/// <summary>
/// An exponentially weighted moving average of a tensor, kept on the tensor's device:
/// v_t = β·v_{t−1} + (1−β)·θ_t with v_0 = 0, bias-corrected on read. <see cref="Update(Tensor)"/> never synchronises with the
/// host, so it can run on every step; only reading <see cref="Value"/> as a number does.
/// </summary>
public sealed class TensorExponentialMovingAverage : IDisposable
{
    private readonly TorchSharp.Scalar betaScalar;
    private readonly TorchSharp.Scalar weightScalar;
    private Tensor? raw;
    private bool onValueDevice;
    private Tensor? weightTensor;
    private TorchSharp.Scalar? ratioWeight;
    private long ratioDenominator;
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
        Prepare(value);
        // One op: raw ← raw + (1 − β)(θ − raw) = β·raw + (1 − β)·θ.
        if (value.dtype == ScalarType.Float32)
        {
            // A tensor from a number, not full(…, Scalar): a temporary Scalar can be finalized while the native call reads it.
            weightTensor ??= tensor((float)(1 - Beta), device: value.device).DetachFromDisposeScope();
            raw!.lerp_(value, weightTensor);
        }
        else raw!.mul_(betaScalar).add_(value, alpha: weightScalar);
        betaPower *= Beta;
        Count++;
    }

    /// <summary>
    /// Adds θ_t = <paramref name="numerator"/> / <paramref name="denominator"/> in place (e.g. a batch's count of correct
    /// predictions over its size) in two device ops, without a host sync.
    /// </summary>
    public void Update(Tensor numerator, long denominator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(denominator, 1);
        using var noGrad = no_grad();
        Prepare(numerator);
        if (denominator != ratioDenominator)
        {
            ratioWeight?.Dispose();
            ratioWeight = (1 - Beta) / denominator; // made once per batch size, not per step
            ratioDenominator = denominator;
        }
        raw!.mul_(betaScalar).add_(numerator, alpha: ratioWeight!);
        betaPower *= Beta;
        Count++;
    }

    private void Prepare(Tensor value)
    {
        if (raw is null)
        {
            raw = zeros(value.shape, ScalarType.Float32, value.device).DetachFromDisposeScope();
            onValueDevice = true;
        }
        else if (!onValueDevice)
        {
            // A restored state lives on the CPU until the first update shows where training runs.
            if (raw.device_type != value.device_type || raw.device_index != value.device_index)
            {
                var moved = raw.to(value.device).DetachFromDisposeScope();
                raw.Dispose();
                raw = moved;
            }
            onValueDevice = true;
        }
    }

    /// <summary>The bias-corrected average as a new tensor (the caller disposes it); null before the first update.</summary>
    public Tensor? Value()
    {
        if (raw is null) return null;
        if (!BiasCorrection) return raw.clone();
        using TorchSharp.Scalar correction = 1 - betaPower; // held through the call, disposed after it
        return raw.div(correction);
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
        onValueDevice = false;
        Count = count;
        this.betaPower = betaPower ?? Math.Pow(Beta, count);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        raw?.Dispose();
        betaScalar.Dispose();
        weightScalar.Dispose();
        ratioWeight?.Dispose();
        weightTensor?.Dispose();
    }
}
