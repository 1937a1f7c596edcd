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
        var x = trainingFeatures.to_type(ScalarType.Float64);
        var mean = x.mean([0L]);
        var std = (x - mean).square().mean([0L]).sqrt();
        std = where(std > 1e-12, std, ones_like(std));
        return new Standardizer(
            mean.to_type(trainingFeatures.dtype).MoveToOuterDisposeScope(),
            std.to_type(trainingFeatures.dtype).MoveToOuterDisposeScope());
    }

    /// <summary>Returns (x − μ) / σ as a new tensor.</summary>
    public Tensor Transform(Tensor features) => (features - Mean) / Std;

    /// <inheritdoc />
    public void Dispose()
    {
        Mean.Dispose();
        Std.Dispose();
    }
}
