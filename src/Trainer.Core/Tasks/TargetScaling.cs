using static TorchSharp.torch;

namespace Trainer.Tasks;

/// <summary>
/// The standardisation of regression targets, fitted on the training split: the model learns (y − μ) / σ per target, and
/// predictions are mapped back with ŷσ + μ before metrics and users see them.
/// </summary>
public sealed class TargetScaling
{
    /// <summary>Creates the scaling from its per-target means and standard deviations.</summary>
    public TargetScaling(double[] mean, double[] standardDeviation)
    {
        if (mean.Length != standardDeviation.Length) throw new ArgumentException("One mean and one standard deviation per target.");
        Mean = mean;
        StandardDeviation = standardDeviation;
    }

    /// <summary>μ per target, from the training split.</summary>
    public double[] Mean { get; }

    /// <summary>σ per target (population), from the training split; 1 for a constant target.</summary>
    public double[] StandardDeviation { get; }

    /// <summary>Fits μ and σ per column of <paramref name="targets"/> (float32 [N, T]), in float64.</summary>
    public static TargetScaling Fit(Tensor targets)
    {
        using var scope = NewDisposeScope();
        var values = targets.to_type(ScalarType.Float64);
        var mean = values.mean([0L]);
        var std = (values - mean).square().mean([0L]).sqrt();
        var sigma = std.data<double>().Select(s => s > 1e-12 ? s : 1.0).ToArray();
        return new TargetScaling(mean.data<double>().ToArray(), sigma);
    }

    /// <summary>(y − μ) / σ as a new float32 tensor.</summary>
    public Tensor Standardize(Tensor targets)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = Tensors(targets.device);
        return ((targets.to_type(ScalarType.Float64) - mean) / std).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>ŷσ + μ: standardised values back in the target's own units, float32.</summary>
    public Tensor Restore(Tensor standardized)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = Tensors(standardized.device);
        return (standardized.to_type(ScalarType.Float64) * std + mean).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private (Tensor Mean, Tensor Std) Tensors(Device device) =>
        (tensor(Mean, ScalarType.Float64, device), tensor(StandardDeviation, ScalarType.Float64, device));
}
