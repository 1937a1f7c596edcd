namespace Trainer.Recipes;

/// <summary>Recipe section <c>Data:Augment</c>: random image transforms applied on the device to training batches only.</summary>
public sealed class AugmentOptions
{
    /// <summary>Mirror each training image left-right with probability ½. Default: false.</summary>
    public bool HorizontalFlip { get; set; }

    /// <summary>Shift each training image by up to this many pixels in each direction (zero padding, then a random crop); 0 for none. Default: 0.</summary>
    public int Shift { get; set; }

    /// <summary>
    /// Random crop as torchvision's <c>RandomCrop(size, padding=N)</c> with size the image's own: pad each training image
    /// with N black pixels on every side, then crop it back to its size at its own random offset (0..2N in each direction).
    /// The same transform as <see cref="Shift"/> under torchvision's name; set one of the two. 0 for none. Default: 0.
    /// </summary>
    public int RandomCrop { get; set; }

    /// <summary>True when any transform is on.</summary>
    public bool Enabled => HorizontalFlip || Shift > 0 || RandomCrop > 0;
}
