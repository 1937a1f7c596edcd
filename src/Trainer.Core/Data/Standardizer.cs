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
    /// examples with at least two dimensions), in chunks of <see cref="ChunkExamples"/> examples (see the other overload).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="mode"/> is per channel and the examples have no channel dimension, or mode is not a fitted one.</exception>
    public static Standardizer Fit(Tensor trainingFeatures, NormalizationMode mode) =>
        Fit(trainingFeatures.shape[0], trainingFeatures.shape[1..], mode, (start, length) => trainingFeatures.narrow(0, start, length));

    /// <summary>
    /// Examples per chunk of the statistics pass for examples of <paramref name="featureLength"/> values: about 4 million
    /// values (32 MB as float64), at least one example. The same for both data paths, so their statistics agree bit for bit.
    /// </summary>
    public static long ChunkExamples(long featureLength) => Math.Max(1, (1L << 22) / Math.Max(1, featureLength));

    /// <summary>
    /// Fits μ and σ on <paramref name="count"/> training examples read in consecutive chunks of <see cref="ChunkExamples"/>:
    /// each chunk's mean and sum of squared deviations in float64, merged exactly (Chan et al.'s pairwise update), so the
    /// memory is bounded by a chunk whatever the data set's size. The in-memory and the streaming data path both fit here.
    /// </summary>
    /// <param name="count">Number of training examples.</param>
    /// <param name="featureShape">Shape of one example.</param>
    /// <param name="mode">Per feature or per channel.</param>
    /// <param name="readChunk">Returns examples [start, start + length) as a float tensor (length × feature shape); disposed after use.</param>
    /// <exception cref="ArgumentException"><paramref name="mode"/> is per channel and the examples have no channel dimension, or mode is not a fitted one.</exception>
    public static Standardizer Fit(long count, long[] featureShape, NormalizationMode mode, Func<long, long, Tensor> readChunk)
    {
        ArgumentNullException.ThrowIfNull(readChunk);
        var rank = featureShape.Length + 1;
        long[] dimensions = mode switch
        {
            NormalizationMode.PerFeature => [0L],
            NormalizationMode.PerChannel when rank >= 3 => [0L, .. Enumerable.Range(2, rank - 2).Select(d => (long)d)],
            NormalizationMode.PerChannel => throw new ArgumentException(
                $"Per-channel normalisation needs examples with channels (C x H x W); these have shape [{string.Join(", ", featureShape)}].", nameof(mode)),
            _ => throw new ArgumentException($"Normalisation mode {mode} has no statistics to fit.", nameof(mode)),
        };
        if (count < 1) throw new ArgumentException("There are no training examples to fit the statistics on.", nameof(count));
        var perExample = mode == NormalizationMode.PerChannel ? featureShape.Skip(1).Aggregate(1L, (a, b) => a * b) : 1L;
        var chunk = ChunkExamples(featureShape.Aggregate(1L, (a, b) => a * b));
        Tensor? mean = null, squares = null; // float64, keepdim: 1 × C × 1 × … or 1 × feature shape
        var dtype = ScalarType.Float32;
        double seen = 0;
        try
        {
            for (long start = 0; start < count; start += chunk)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(chunk, count - start);
                var part = readChunk(start, length);
                dtype = part.dtype;
                var values = part.to_type(ScalarType.Float64);
                var partMean = values.mean(dimensions, keepdim: true);
                var partSquares = values.sub(partMean).square().sum(dimensions, keepdim: true);
                double n = length * perExample, total = seen + n;
                if (mean is null || squares is null)
                {
                    mean = partMean.MoveToOuterDisposeScope();
                    squares = partSquares.MoveToOuterDisposeScope();
                }
                else
                {
                    var delta = partMean.sub(mean);
                    using (no_grad())
                    {
                        squares.add_(partSquares).add_(delta.square().mul_(seen * n / total));
                        mean.add_(delta.mul_(n / total));
                    }
                }
                seen = total;
            }

            using var fitScope = NewDisposeScope();
            var std = squares!.div(seen).sqrt_();
            std = where(std > 1e-12, std, ones_like(std));
            return new Standardizer(mode,
                mean!.squeeze(0).to_type(dtype).MoveToOuterDisposeScope(),
                std.squeeze(0).to_type(dtype).MoveToOuterDisposeScope());
        }
        finally
        {
            mean?.Dispose();
            squares?.Dispose();
        }
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

}
