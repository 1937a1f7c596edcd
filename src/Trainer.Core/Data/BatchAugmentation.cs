using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Random horizontal flips and shifts (random crops: <c>Data:Augment:Shift</c> or <c>RandomCrop</c>) of a batch of images
/// (N × C × H × W), on the batch's device, drawn from
/// TorchSharp's global generator (so a seed reproduces them and checkpoints restore them). Each image gets its own flip
/// and its own shift; pixels shifted in are black (an input of 0, or its standardised value when the data was normalised
/// per channel, which flips and shifts commute with). Per step it leaves nothing to the finalizer: its scalars are made once, the row and column
/// offsets are kept, and sizes are read with size(dim) (each read of TorchSharp's shape leaves a pinned array).
/// </summary>
public sealed class BatchAugmentation : IDisposable
{
    private readonly AugmentOptions options;
    private readonly TorchSharp.Scalar half = 0.5;
    private readonly TorchSharp.Scalar one = 1;
    private readonly Tensor? black;
    private readonly Tensor? minusBlack;
    private Tensor? rowOffsets;
    private Tensor? columnOffsets;

    /// <summary>Creates the augmentation for images of shape <paramref name="featureShape"/> (C, H, W).</summary>
    /// <param name="options">The recipe's <c>Data:Augment</c> section.</param>
    /// <param name="featureShape">The shape of one example.</param>
    /// <param name="black">
    /// What a black pixel is in the batches, per channel (C × 1 × 1, on the batches' device; copied): the standardised
    /// value of 0 when the data was normalised, or null for 0.
    /// </param>
    public BatchAugmentation(AugmentOptions options, long[] featureShape, Tensor? black = null)
    {
        if (options.Enabled && featureShape.Length != 3)
            throw new RecipeException($"Data:Augment needs image data (channels x height x width); this data set has examples of shape [{string.Join(", ", featureShape)}]. Turn Data:Augment off.");
        this.options = options;
        if (black is null || Padding == 0) return;
        this.black = black.detach().clone().DetachFromDisposeScope();
        minusBlack = black.detach().neg().DetachFromDisposeScope();
    }

    /// <summary>The augmented batch (a new tensor in the caller's dispose scope); the input itself when nothing is on.</summary>
    public Tensor Apply(Tensor images)
    {
        if (!options.Enabled) return images;
        var x = images;
        var n = x.size(0); // not x.shape: each read of shape leaves a pinned array to the finalizer
        if (options.HorizontalFlip)
        {
            var flip = rand(n, device: x.device).lt(half).view(n, 1, 1, 1);
            x = where(flip, x.flip(3), x);
        }
        if (Padding > 0) x = Shift(x, Padding);
        return x;
    }

    /// <summary>The padding of the random crop: <c>Shift</c>, or <c>RandomCrop</c> (the same transform under torchvision's name).</summary>
    private int Padding => options.Shift > 0 ? options.Shift : options.RandomCrop;

    /// <summary>Pads by <paramref name="shift"/> black pixels and crops each image back at its own random offset.</summary>
    private Tensor Shift(Tensor x, int shift)
    {
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        // Padding with zeros pads with black when black is 0: shift the values so that it is, then back (add with a held
        // alpha: sub and add without one make a Scalar per call).
        var padded = nn.functional.pad(black is null ? x : x.add(minusBlack!, one), [shift, shift, shift, shift]);
        var dy = randint(0, 2 * shift + 1, [n], dtype: ScalarType.Int64, device: x.device);
        var dx = randint(0, 2 * shift + 1, [n], dtype: ScalarType.Int64, device: x.device);
        var rows = dy.view(n, 1).add(Offsets(ref rowOffsets, h, x), one).view(n, 1, h, 1).expand(n, c, h, w + 2 * shift);
        var byRow = padded.gather(2, rows);
        var cols = dx.view(n, 1).add(Offsets(ref columnOffsets, w, x), one).view(n, 1, 1, w).expand(n, c, h, w);
        var shifted = byRow.gather(3, cols);
        return black is null ? shifted : shifted.add_(black, one);
    }

    /// <summary>0, 1, …, length − 1 on <paramref name="like"/>'s device, made once (arange takes its bounds as scalars).</summary>
    private static Tensor Offsets(ref Tensor? cached, long length, Tensor like)
    {
        if (cached is not null && cached.size(0) == length && cached.device_type == like.device_type && cached.device_index == like.device_index)
            return cached;
        cached?.Dispose();
        cached = arange(length, dtype: ScalarType.Int64, device: like.device).DetachFromDisposeScope();
        return cached;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        rowOffsets?.Dispose();
        columnOffsets?.Dispose();
        black?.Dispose();
        minusBlack?.Dispose();
        half.Dispose();
        one.Dispose();
    }
}
