using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Standardisation x' = (x − μ) / σ with μ and σ taken from the training split only and then applied unchanged to
/// validation and test data (the course's rule): per feature (tabular data) or per channel over all its pixels
/// (images, as torchvision's <c>Normalize</c>). A σ of 0 (a constant feature or channel) only centres.
/// </summary>
public sealed class Standardizer : IDisposable
{
    private Standardizer(NormalizationMode mode, Tensor mean, Tensor std)
    {
        Mode = mode;
        Mean = mean;
        Std = std;
    }

    /// <summary><see cref="NormalizationMode.PerFeature"/> or <see cref="NormalizationMode.PerChannel"/>.</summary>
    public NormalizationMode Mode { get; }

    /// <summary>
    /// The training split's mean μ: the shape of one example per feature, C × 1 × … × 1 per channel (so it broadcasts
    /// over an example or a batch).
    /// </summary>
    public Tensor Mean { get; }

    /// <summary>The training split's population standard deviation σ, shaped like <see cref="Mean"/>, with zeros replaced by 1.</summary>
    public Tensor Std { get; }

    /// <summary>Fits μ and σ per feature on <paramref name="trainingFeatures"/> (N × feature shape).</summary>
    public static Standardizer Fit(Tensor trainingFeatures) => Fit(trainingFeatures, NormalizationMode.PerFeature);

    /// <summary>
    /// Fits μ and σ on <paramref name="trainingFeatures"/> (N × feature shape) per feature or per channel (dimension 1 of
    /// examples with at least two dimensions).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="mode"/> is per channel and the examples have no channel dimension, or mode is not a fitted one.</exception>
    public static Standardizer Fit(Tensor trainingFeatures, NormalizationMode mode)
    {
        var rank = trainingFeatures.dim();
        long[] dimensions = mode switch
        {
            NormalizationMode.PerFeature => [0L],
            NormalizationMode.PerChannel when rank >= 3 => [0L, .. Enumerable.Range(2, (int)rank - 2).Select(d => (long)d)],
            NormalizationMode.PerChannel => throw new ArgumentException(
                $"Per-channel normalisation needs examples with channels (C x H x W); these have shape [{string.Join(", ", Shape(trainingFeatures).Skip(1))}].", nameof(mode)),
            _ => throw new ArgumentException($"Normalisation mode {mode} has no statistics to fit.", nameof(mode)),
        };
        using var scope = NewDisposeScope();
        // One reduction on the CPU: no float64 copy of the data set and no temporaries of its size.
        var (std, mean) = std_mean(trainingFeatures, dimensions, unbiased: false, keepdim: mode == NormalizationMode.PerChannel);
        if (mode == NormalizationMode.PerChannel)
        {
            // N = 1 kept: drop it, so the statistics have the shape C × 1 × … × 1 of one example.
            mean = mean.squeeze(0);
            std = std.squeeze(0);
        }
        std = where(std > 1e-12, std, ones_like(std));
        return new Standardizer(mode,
            mean.to_type(trainingFeatures.dtype).MoveToOuterDisposeScope(),
            std.to_type(trainingFeatures.dtype).MoveToOuterDisposeScope());
    }

    /// <summary>Statistics fitted earlier (e.g. read from a run directory); takes ownership of the tensors.</summary>
    public static Standardizer FromStatistics(NormalizationMode mode, Tensor mean, Tensor std) => new(mode, mean, std);

    /// <summary>Returns (x − μ) / σ as a new tensor.</summary>
    public Tensor Transform(Tensor features) => features.sub(Mean).div_(Std);

    /// <summary>Standardises <paramref name="features"/> in place (no copy of the data set) and returns it.</summary>
    internal Tensor TransformInPlace(Tensor features) => features.sub_(Mean).div_(Std);

    /// <summary>
    /// What an input of 0 (a black pixel) becomes, −μ/σ, shaped like <see cref="Mean"/>: the value augmentation fills
    /// shifted-in pixels with so that they are black after normalisation too.
    /// </summary>
    public Tensor StandardizedZero() => Mean.neg().div_(Std);

    /// <inheritdoc />
    public void Dispose()
    {
        Mean.Dispose();
        Std.Dispose();
    }

    private static long[] Shape(Tensor tensor) => Enumerable.Range(0, (int)tensor.dim()).Select(d => tensor.size(d)).ToArray();
}
