namespace Trainer.Recipes;

/// <summary>Recipe section <c>Data:Augment</c>: random image transforms applied on the device to training batches only.</summary>
public sealed class AugmentOptions
{
    /// <summary>Mirror each training image left-right with probability ½. Default: false.</summary>
    public bool HorizontalFlip { get; set; }

    /// <summary>Shift each training image by up to this many pixels in each direction (zero padding, then a random crop); 0 for none. Default: 0.</summary>
    public int Shift { get; set; }

    /// <summary>True when any transform is on.</summary>
    public bool Enabled => HorizontalFlip || Shift > 0;
}
