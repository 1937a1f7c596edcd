namespace Trainer.Data;

/// <summary>How input features are standardised with statistics of the training split (<c>Data:Normalize</c>).</summary>
public enum NormalizationMode
{
    /// <summary>Per channel for images (examples of shape C × H × W or C × L), per feature for everything else.</summary>
    Auto,

    /// <summary>One mean and standard deviation per feature (per pixel for images): the choice for tabular data.</summary>
    PerFeature,

    /// <summary>
    /// One mean and standard deviation per channel over all its pixels, as torchvision's <c>Normalize</c>: commutes with
    /// flips and shifts, so augmentation sees real images.
    /// </summary>
    PerChannel,

    /// <summary>Features are used as loaded.</summary>
    None,
}
