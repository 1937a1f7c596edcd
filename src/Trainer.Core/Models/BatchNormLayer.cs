using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Trainer.Models;

/// <summary>
/// Batch normalisation over 1-D features (inputs N×C or N×C×L, as <c>BatchNorm1d</c>) or 2-D feature maps (N×C×H×W,
/// as <c>BatchNorm2d</c>), with the same parameters, buffers and state-dictionary names as TorchSharp's modules, so
/// checkpoints interchange. It differs in one thing: TorchSharp's forward pass counts the batch with
/// <c>num_batches_tracked.add_(1)</c>, which makes two native <see cref="Scalar"/>s per call that only the finalizer
/// frees; every training step then leaves objects to the finalizer thread, which promotes them and runs beside
/// libtorch's threads. Here the count uses scalars made once.
/// </summary>
public sealed class BatchNormLayer : BatchNorm
{
    private readonly int spatialDimensions;
    private readonly Scalar one = 1;

    /// <summary>Creates the layer.</summary>
    /// <param name="features">C, the channels or features normalised.</param>
    /// <param name="spatialDimensions">1 for N×C or N×C×L inputs, 2 for N×C×H×W.</param>
    /// <param name="eps">Added to the variance for numerical stability.</param>
    /// <param name="momentum">The running statistics' update weight; 0 means a cumulative average.</param>
    public BatchNormLayer(long features, int spatialDimensions, double eps = 1e-5, double momentum = 0.1)
        : base(features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null,
            name: spatialDimensions == 2 ? "BatchNorm2d" : "BatchNorm1d")
    {
        if (spatialDimensions is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(spatialDimensions), spatialDimensions, "1 or 2.");
        this.spatialDimensions = spatialDimensions;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        var factor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is { } tracked)
        {
            tracked.add_(one, one);
            if (factor == 0) factor = 1.0 / tracked.item<long>(); // a cumulative average, as TorchSharp's (a host read)
        }
        // Batch statistics in training, and in evaluation only when no running statistics are kept.
        var batchStatistics = training || running_mean is null || running_var is null;
        var useBuffers = !training || track_running_stats;
        return F.batch_norm(input, useBuffers ? running_mean : null, useBuffers ? running_var : null, weight, bias, batchStatistics, factor, eps);
    }

    /// <inheritdoc />
    protected override void ValidateInputDimensions(Tensor input)
    {
        var valid = spatialDimensions == 2 ? input.ndim == 4 : input.ndim is 2 or 3;
        if (!valid)
            throw new ArgumentException($"BatchNorm{spatialDimensions}d expects {(spatialDimensions == 2 ? "4-D (N×C×H×W)" : "2-D or 3-D (N×C or N×C×L)")} input, not {input.ndim}-D.");
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) one.Dispose();
        base.Dispose(disposing);
    }
}
