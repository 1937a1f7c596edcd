using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// One split (training, validation or test) on the streaming data path: which examples of an <see cref="ExampleStore"/>
/// it holds, in the split's order, and how a batch read from storage becomes the model's input — the same element-wise
/// operations the in-memory path applies to the whole split (bytes to float32 divided by 255, then (x − μ) / σ).
/// </summary>
public sealed class StreamedSplit : IDisposable
{
    private readonly long[] indices;
    private Tensor? deviceMean, deviceStd;

    internal StreamedSplit(ExampleStore store, Tensor storeLabels, long[] indices, int workers, int prefetch)
    {
        Store = store;
        this.indices = indices;
        Workers = workers;
        Prefetch = prefetch;
        using var index = tensor(indices);
        Labels = storeLabels.index_select(0, index);
    }

    /// <summary>The store the examples are read from (not owned: the data splits dispose it).</summary>
    public ExampleStore Store { get; }

    /// <summary>The store's example indices in the split's order.</summary>
    public IReadOnlyList<long> Indices => indices;

    /// <summary>Number of examples.</summary>
    public long Count => indices.Length;

    /// <summary>Shape of one example.</summary>
    public long[] FeatureShape => Store.FeatureShape;

    /// <summary>The split's targets on the CPU, in the split's order, as the task trains on them.</summary>
    public Tensor Labels { get; private set; }

    /// <summary>Background workers reading batches (<c>Data:Workers</c>).</summary>
    public int Workers { get; }

    /// <summary>The most batches read ahead (<c>Data:Prefetch</c>).</summary>
    public int Prefetch { get; }

    /// <summary>Where the batches go: the training device. Read ahead into pinned memory when it is CUDA.</summary>
    public Device Device { get; internal set; } = CPU;

    /// <summary>The standardisation applied to every batch, fitted on the training split; null when disabled.</summary>
    public Standardizer? Normalization { get; internal set; }

    /// <summary>Regression: replaces the targets with their standardised values.</summary>
    internal void ScaleTargets(Tasks.TargetScaling scaling)
    {
        var scaled = scaling.Standardize(Labels);
        Labels.Dispose();
        Labels = scaled;
    }

    /// <summary>The store's index of the split's example at <paramref name="position"/>.</summary>
    public long StoreIndex(long position) => indices[position];

    /// <summary>
    /// Turns features read by a <see cref="BatchPrefetcher"/> into the model's input on <see cref="Device"/>: moved there
    /// (without blocking from pinned memory), bytes converted to float32 and divided by 255, then standardised. The
    /// tensors made here join the caller's dispose scope; <paramref name="raw"/> may be changed in place.
    /// </summary>
    public Tensor Prepare(Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var x = Device.type == DeviceType.CPU ? raw : raw.to(Device, non_blocking: raw.is_pinned());
        if (x.dtype == ScalarType.Byte)
        {
            using var scale = 255f.ToScalar(); // as the in-memory path scales a split (DataPipeline.Scaled)
            x = x.to_type(ScalarType.Float32).div_(scale);
        }
        if (Normalization is not { } n) return x;
        if (Device.type == DeviceType.CPU) return x.sub_(n.Mean).div_(n.Std); // as Standardizer.TransformInPlace does
        deviceMean ??= n.Mean.to(Device).DetachFromDisposeScope();
        deviceStd ??= n.Std.to(Device).DetachFromDisposeScope();
        return x.sub_(deviceMean).div_(deviceStd);
    }

    /// <summary>Targets read by a <see cref="BatchPrefetcher"/>, moved to <see cref="Device"/>.</summary>
    public Tensor PrepareLabels(Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return Device.type == DeviceType.CPU ? raw : raw.to(Device, non_blocking: raw.is_pinned());
    }

    /// <summary>
    /// Reads the whole split (through the workers) into one tensor on <see cref="Device"/>, as the in-memory path holds it:
    /// what <see cref="Dataset.Features"/> gives on the streaming path. Needs memory for the whole split.
    /// </summary>
    public Tensor ReadAll()
    {
        const int chunk = 512;
        using var scope = NewDisposeScope();
        var batches = (int)((Count + chunk - 1) / chunk);
        using var prefetcher = new BatchPrefetcher(this, null, chunk, 0, batches);
        var parts = new List<Tensor>(batches);
        for (var b = 0; b < batches; b++) parts.Add(Prepare(prefetcher.Take(b).Features));
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Releases the device copies of the statistics (the store belongs to the data splits).</summary>
    public void Dispose()
    {
        Labels.Dispose();
        deviceMean?.Dispose();
        deviceStd?.Dispose();
    }
}
