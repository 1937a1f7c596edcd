using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Per-feature standardisation x' = (x − μ) / σ with μ and σ taken from the training split only and then applied
/// unchanged to validation and test data (the course's rule). Features with σ = 0 are only centred.
/// </summary>
public sealed class Standardizer : IDisposable
{
    private Standardizer(Tensor mean, Tensor std)
    {
        Mean = mean;
        Std = std;
    }

    /// <summary>Per-feature mean μ of the training split (shape of one example).</summary>
    public Tensor Mean { get; }

    /// <summary>Per-feature population standard deviation σ of the training split, with zeros replaced by 1.</summary>
    public Tensor Std { get; }

    /// <summary>Fits μ and σ on <paramref name="trainingFeatures"/> (N × feature shape).</summary>
    public static Standardizer Fit(Tensor trainingFeatures)
    {
        using var scope = NewDisposeScope();
        // One reduction with double accumulators on the CPU: no float64 copy of the data set and no temporaries of its size.
        var (std, mean) = std_mean(trainingFeatures, [0L], unbiased: false);
        std = where(std > 1e-12, std, ones_like(std));
        return new Standardizer(
            mean.to_type(trainingFeatures.dtype).MoveToOuterDisposeScope(),
            std.to_type(trainingFeatures.dtype).MoveToOuterDisposeScope());
    }

    /// <summary>Returns (x − μ) / σ as a new tensor.</summary>
    public Tensor Transform(Tensor features) => features.sub(Mean).div_(Std);

    /// <summary>Standardises <paramref name="features"/> in place (no copy of the data set) and returns it.</summary>
    internal Tensor TransformInPlace(Tensor features) => features.sub_(Mean).div_(Std);

    /// <inheritdoc />
    public void Dispose()
    {
        Mean.Dispose();
        Std.Dispose();
    }
}
