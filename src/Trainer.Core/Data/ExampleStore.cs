using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Examples a source reads one at a time from storage, for the streaming data path (data larger than memory): the
/// targets of every example are held in memory (they are small), the features are read on demand by background workers.
/// <see cref="ReadFeatures(long, Span{byte})"/> and <see cref="ReadFeatures(long, Span{float})"/> are called from several
/// threads at once, each for its own example.
/// </summary>
public abstract class ExampleStore : IDisposable
{
    /// <summary>Number of examples.</summary>
    public abstract long Count { get; }

    /// <summary>Shape of one example, e.g. [3, 64, 64] for an RGB image.</summary>
    public abstract long[] FeatureShape { get; }

    /// <summary>
    /// <see cref="ScalarType.Byte"/> when the features are pixels 0–255 (the pipeline scales them to [0, 1] as it does
    /// in-memory byte pixels), else <see cref="ScalarType.Float32"/>.
    /// </summary>
    public abstract ScalarType FeatureType { get; }

    /// <summary>Every example's target on the CPU, as <see cref="Dataset.Labels"/> holds them (int64 classes or float32 values).</summary>
    public abstract Tensor Labels { get; }

    /// <summary>Number of classes; 0 for numeric targets.</summary>
    public abstract int ClassCount { get; }

    /// <summary>The classes' names by index, or null.</summary>
    public virtual IReadOnlyList<string>? ClassNames => null;

    /// <summary>Number of values of one example: the product of <see cref="FeatureShape"/>.</summary>
    public long FeatureLength => FeatureShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Writes example <paramref name="index"/>'s byte features into <paramref name="destination"/>; for <see cref="ScalarType.Byte"/> stores.</summary>
    /// <exception cref="Trainer.Recipes.RecipeException">The example's file is missing or corrupt (the message names it).</exception>
    public virtual void ReadFeatures(long index, Span<byte> destination) =>
        throw new NotSupportedException($"{GetType().Name} holds {FeatureType} features, not bytes.");

    /// <summary>Writes example <paramref name="index"/>'s float features into <paramref name="destination"/>; for <see cref="ScalarType.Float32"/> stores.</summary>
    /// <exception cref="Trainer.Recipes.RecipeException">The example's file is missing or corrupt (the message names it).</exception>
    public virtual void ReadFeatures(long index, Span<float> destination) =>
        throw new NotSupportedException($"{GetType().Name} holds {FeatureType} features, not float32.");

    /// <summary>Where example <paramref name="index"/> comes from, for messages (a file name, "row 12 of data.csv").</summary>
    public virtual string Describe(long index) => $"example {index}";

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the store's files and its labels tensor.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
