using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// A labelled data set held as two tensors: features (float32, or byte pixels 0–255 before the pipeline scales them) and
/// targets: int64 class indices [N] for class-labelled data (<see cref="ClassNames"/> names them when the source knows
/// names), or float32 values [N] or [N, T] for numeric targets. The pipeline converts the targets to what
/// <c>Task:Kind</c> trains on.
/// </summary>
public sealed class Dataset : IDisposable
{
    private readonly Lazy<Tensor>? streamedFeatures;
    private readonly Tensor? features;

    /// <summary>Wraps <paramref name="features"/> (N × feature shape) and <paramref name="labels"/> (N); takes ownership.</summary>
    public Dataset(Tensor features, Tensor labels, int classCount)
    {
        if (features.shape[0] != labels.shape[0])
            throw new ArgumentException($"Features have {features.shape[0]} rows but labels have {labels.shape[0]}.");
        this.features = features;
        Labels = labels;
        ClassCount = classCount;
    }

    /// <summary>A split of the streaming path: its examples stay in storage; takes ownership of <paramref name="labels"/>.</summary>
    internal Dataset(StreamedSplit stream, Tensor labels, int classCount)
    {
        Stream = stream;
        Labels = labels;
        ClassCount = classCount;
        streamedFeatures = new Lazy<Tensor>(stream.ReadAll, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Inputs, shape N × <see cref="FeatureShape"/>, float32. On the streaming path (<see cref="Stream"/> set) the first
    /// read loads the whole split into memory on the training device, which a data set larger than memory cannot afford:
    /// read batches through <see cref="Stream"/> instead.
    /// </summary>
    public Tensor Features => features ?? streamedFeatures!.Value;

    /// <summary>
    /// On the streaming path (<c>Data:Loading</c>), where the examples are read from storage in batches; null when the
    /// data set is in memory.
    /// </summary>
    public StreamedSplit? Stream { get; }

    /// <summary>Class indices 0..<see cref="ClassCount"/>-1, shape N, int64; or numeric targets, float32 [N] or [N, T].</summary>
    public Tensor Labels { get; }

    /// <summary>Number of classes (the model's outputs for a classifier); 0 for numeric targets.</summary>
    public int ClassCount { get; }

    /// <summary>The classes' names by index (folder names, CSV categories), or null when the source has only numbers.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Number of examples.</summary>
    public long Count => Stream?.Count ?? Features.shape[0];

    /// <summary>Shape of one example, e.g. [1, 28, 28] for an image or [64] for a table row.</summary>
    public long[] FeatureShape => Stream?.FeatureShape ?? Features.shape[1..];

    /// <summary>The examples at <paramref name="indices"/> as a new data set.</summary>
    public Dataset Select(Tensor indices) =>
        new(Features.index_select(0, indices), Labels.index_select(0, indices), ClassCount) { ClassNames = ClassNames };

    /// <summary>A copy of the data set on <paramref name="device"/>.</summary>
    public Dataset To(Device device)
    {
        if (Stream is null) return new(Features.to(device), Labels.to(device), ClassCount) { ClassNames = ClassNames };
        Stream.Device = device; // the batches read from storage go to the device
        return new(Stream, Labels.to(device), ClassCount) { ClassNames = ClassNames };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        features?.Dispose();
        if (streamedFeatures is { IsValueCreated: true }) streamedFeatures.Value.Dispose();
        Labels.Dispose();
    }
}
