using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>A labelled data set held as two tensors: float32 features and int64 class labels.</summary>
public sealed class Dataset : IDisposable
{
    /// <summary>Wraps <paramref name="features"/> (N × feature shape) and <paramref name="labels"/> (N); takes ownership.</summary>
    public Dataset(Tensor features, Tensor labels, int classCount)
    {
        if (features.shape[0] != labels.shape[0])
            throw new ArgumentException($"Features have {features.shape[0]} rows but labels have {labels.shape[0]}.");
        Features = features;
        Labels = labels;
        ClassCount = classCount;
    }

    /// <summary>Inputs, shape N × <see cref="FeatureShape"/>, float32.</summary>
    public Tensor Features { get; }

    /// <summary>Class indices 0..<see cref="ClassCount"/>-1, shape N, int64.</summary>
    public Tensor Labels { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Number of examples.</summary>
    public long Count => Features.shape[0];

    /// <summary>Shape of one example, e.g. [1, 28, 28] for an image or [64] for a table row.</summary>
    public long[] FeatureShape => Features.shape[1..];

    /// <summary>The examples at <paramref name="indices"/> as a new data set.</summary>
    public Dataset Select(Tensor indices) =>
        new(Features.index_select(0, indices), Labels.index_select(0, indices), ClassCount);

    /// <summary>A copy of the data set on <paramref name="device"/>.</summary>
    public Dataset To(Device device) => new(Features.to(device), Labels.to(device), ClassCount);

    /// <inheritdoc />
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
