using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Random horizontal flips and shifts of a batch of images (N × C × H × W), on the batch's device, drawn from
/// TorchSharp's global generator (so a seed reproduces them and checkpoints restore them). Each image gets its own flip
/// and its own shift.
/// </summary>
public sealed class BatchAugmentation
{
    private readonly AugmentOptions options;

    /// <summary>Creates the augmentation for images of shape <paramref name="featureShape"/> (C, H, W).</summary>
    public BatchAugmentation(AugmentOptions options, long[] featureShape)
    {
        if (options.Enabled && featureShape.Length != 3)
            throw new RecipeException($"Data:Augment needs image data (channels x height x width); this data set has examples of shape [{string.Join(", ", featureShape)}]. Turn Data:Augment off.");
        this.options = options;
    }

    /// <summary>The augmented batch (a new tensor in the caller's dispose scope); the input itself when nothing is on.</summary>
    public Tensor Apply(Tensor images)
    {
        if (!options.Enabled) return images;
        var x = images;
        var n = x.shape[0];
        if (options.HorizontalFlip)
        {
            var flip = rand(n, device: x.device).lt(0.5).view(n, 1, 1, 1);
            x = where(flip, x.flip(3), x);
        }
        if (options.Shift > 0) x = Shift(x, options.Shift);
        return x;
    }

    /// <summary>Pads by <paramref name="shift"/> pixels of zeros and crops each image back at its own random offset.</summary>
    private static Tensor Shift(Tensor x, int shift)
    {
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        var padded = nn.functional.pad(x, [shift, shift, shift, shift]);
        var dy = randint(0, 2 * shift + 1, [n], dtype: ScalarType.Int64, device: x.device);
        var dx = randint(0, 2 * shift + 1, [n], dtype: ScalarType.Int64, device: x.device);
        var rows = (dy.view(n, 1) + arange(h, dtype: ScalarType.Int64, device: x.device)).view(n, 1, h, 1).expand(n, c, h, w + 2 * shift);
        var byRow = padded.gather(2, rows);
        var cols = (dx.view(n, 1) + arange(w, dtype: ScalarType.Int64, device: x.device)).view(n, 1, 1, w).expand(n, c, h, w);
        return byRow.gather(3, cols);
    }
}
