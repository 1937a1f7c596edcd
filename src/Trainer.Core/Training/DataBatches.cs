using Trainer.Data;
using static TorchSharp.torch;

namespace Trainer.Training;

/// <summary>
/// The batches of one pass over a split, whichever data path it is on: in memory, by index into the device tensors (a
/// training epoch's order) or by slicing them (evaluation); streamed, from a <see cref="BatchPrefetcher"/> whose workers
/// read the same examples ahead, in the same order. The tensors returned join the caller's dispose scope.
/// </summary>
internal sealed class DataBatches : IDisposable
{
    private readonly Dataset data;
    private readonly Tensor? order;
    private readonly BatchPrefetcher? prefetcher;

    private DataBatches(Dataset data, Tensor? order, BatchPrefetcher? prefetcher)
    {
        this.data = data;
        this.order = order;
        this.prefetcher = prefetcher;
    }

    /// <summary>An epoch's training batches: batch b holds the examples at <paramref name="order"/>[b·size, (b + 1)·size).</summary>
    public static DataBatches Training(Dataset train, Tensor order, int batchSize, int firstBatch, int batchCount)
    {
        if (train.Stream is not { } stream) return new DataBatches(train, order, null);
        using var positions = order.cpu(); // the epoch's permutation, read once per epoch for the workers
        return new DataBatches(train, null, new BatchPrefetcher(stream, positions.data<long>().ToArray(), batchSize, firstBatch, batchCount));
    }

    /// <summary>An evaluation pass: consecutive chunks of <paramref name="batchSize"/> examples in the split's order.</summary>
    public static DataBatches Evaluation(Dataset data, int batchSize) =>
        data.Stream is { } stream ? new DataBatches(data, null, new BatchPrefetcher(stream, null, batchSize, 0, (int)((data.Count + batchSize - 1) / batchSize)))
            : new DataBatches(data, null, null);

    /// <summary>Batch <paramref name="batch"/>, the examples at positions [<paramref name="start"/>, start + <paramref name="length"/>) of the pass.</summary>
    public (Tensor Inputs, Tensor Targets) Get(int batch, long start, long length)
    {
        if (prefetcher is not null)
        {
            var (features, labels) = prefetcher.Take(batch);
            return (data.Stream!.Prepare(features), data.Stream.PrepareLabels(labels));
        }
        if (order is null) return (data.Features.narrow(0, start, length), data.Labels.narrow(0, start, length));
        var index = order.narrow(0, start, length);
        return (data.Features.index_select(0, index), data.Labels.index_select(0, index));
    }

    /// <summary>Stops the workers of a streamed pass (at the end of an epoch, or when training stops or fails).</summary>
    public void Dispose() => prefetcher?.Dispose();
}
