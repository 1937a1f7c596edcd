namespace Trainer.Recipes;

/// <summary>Recipe section <c>Data</c>: the data set, its splits and input normalisation.</summary>
public sealed class DataOptions
{
    /// <summary>
    /// The data source: <c>digits</c> (embedded UCI handwritten digits), <c>idx</c> (MNIST-style IDX files in
    /// <see cref="Path"/>), <c>csv</c> (a numeric CSV file, label in the last column), or <c>fashion-mnist</c>
    /// (found in <see cref="Path"/>, <c>$TRAINER_DATA</c>, <c>~/.trainer/data/fashion-mnist</c> or
    /// <c>/usr/share/datasets/fashion-mnist</c>). Default: "digits".
    /// </summary>
    public string Source { get; set; } = "digits";

    /// <summary>File or folder of the data; relative paths resolve against the recipe's folder. Default: none.</summary>
    public string? Path { get; set; }

    /// <summary>For <c>csv</c>: an optional separate test file. Without it, <see cref="TestFraction"/> of the rows are held out.</summary>
    public string? TestPath { get; set; }

    /// <summary>Fraction of the training data held out for validation, in [0, 0.9]. Default: 0.15.</summary>
    public double ValidationFraction { get; set; } = 0.15;

    /// <summary>Fraction held out for testing when the source has no test split of its own, in (0, 0.9]. Default: 0.2.</summary>
    public double TestFraction { get; set; } = 0.2;

    /// <summary>Standardise each input feature with the training split's mean and standard deviation. Default: true.</summary>
    public bool Normalize { get; set; } = true;

    /// <summary>Data augmentation of training batches (images only). Default: none.</summary>
    public AugmentOptions Augment { get; set; } = new();
}
