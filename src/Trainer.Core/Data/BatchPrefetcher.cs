using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// Reads the batches of one pass over a <see cref="StreamedSplit"/> ahead of the loop: <see cref="StreamedSplit.Workers"/>
/// background workers each claim the next batch, read its examples from the store and assemble them into one CPU tensor
/// (pinned when the split's device is CUDA); <see cref="Take"/> hands the batches out in order. At most
/// <see cref="StreamedSplit.Prefetch"/> batches are read but not yet taken, so memory is bounded by the queue, not by the
/// data set. A worker's exception (a corrupt file) is thrown by <see cref="Take"/> for the batch it was reading;
/// <see cref="Dispose"/> stops the workers and waits for them.
/// </summary>
public sealed class BatchPrefetcher : IDisposable
{
    private static int RunningCount;

    private readonly StreamedSplit split;
    private readonly long[]? order;
    private readonly int batchSize;
    private readonly int firstBatch;
    private readonly int batchCount;
    private readonly TaskCompletionSource<(Tensor Features, Tensor Labels)>?[] slots;
    private readonly SemaphoreSlim room;
    private readonly CancellationTokenSource stop = new();
    private readonly Task[] workers;
    private int nextToRead;
    private int nextToTake;
    private bool disposed;

    /// <summary>Starts reading batches <paramref name="firstBatch"/> to <paramref name="batchCount"/> − 1 of <paramref name="split"/>.</summary>
    /// <param name="split">The examples.</param>
    /// <param name="order">Positions in the split in the pass's order (an epoch's permutation), or null for the split's order.</param>
    /// <param name="batchSize">Examples per batch; batch b holds positions [b·size, (b + 1)·size), the last one fewer.</param>
    /// <param name="firstBatch">The first batch to read (after a mid-epoch resume, the next one).</param>
    /// <param name="batchCount">Batches in the pass (a final batch may be left out, as the loop drops a batch of one).</param>
    public BatchPrefetcher(StreamedSplit split, long[]? order, int batchSize, int firstBatch, int batchCount)
    {
        ArgumentNullException.ThrowIfNull(split);
        var count = order?.LongLength ?? split.Count;
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (batchCount < 0 || (long)batchCount * batchSize >= count + batchSize)
            throw new ArgumentOutOfRangeException(nameof(batchCount), $"{batchCount} batches of {batchSize} do not fit {count} examples.");
        ArgumentOutOfRangeException.ThrowIfNegative(firstBatch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstBatch, batchCount);
        this.split = split;
        this.order = order;
        this.batchSize = batchSize;
        this.firstBatch = nextToRead = nextToTake = firstBatch;
        this.batchCount = batchCount;
        slots = new TaskCompletionSource<(Tensor, Tensor)>?[batchCount - firstBatch];
        for (var i = 0; i < slots.Length; i++) slots[i] = new TaskCompletionSource<(Tensor, Tensor)>(TaskCreationOptions.RunContinuationsAsynchronously);
        room = new SemaphoreSlim(split.Prefetch, split.Prefetch);
        var workerCount = Math.Min(split.Workers, slots.Length);
        Interlocked.Add(ref RunningCount, workerCount);
        workers = new Task[workerCount];
        for (var i = 0; i < workerCount; i++) workers[i] = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Prefetch workers running in this process, over all prefetchers (0 once every one is disposed).</summary>
    public static int RunningWorkers => Volatile.Read(ref RunningCount);

    /// <summary>
    /// Batch <paramref name="batch"/>'s features (as the store holds them: bytes or float32, on the CPU) and targets, waiting
    /// for a worker to finish reading it. Batches must be taken in order. The tensors join the calling thread's dispose
    /// scope, if there is one; otherwise the caller disposes them.
    /// </summary>
    /// <exception cref="Trainer.Recipes.RecipeException">Reading an example of the batch failed (the message names its file).</exception>
    public (Tensor Features, Tensor Labels) Take(int batch)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (batch != nextToTake) throw new InvalidOperationException($"Batch {nextToTake} is next; batches are taken in order (asked for {batch}).");
        var slot = slots[batch - firstBatch]!;
        nextToTake++;
        try
        {
            var result = slot.Task.GetAwaiter().GetResult(); // a worker's exception, as it was thrown
            slots[batch - firstBatch] = null; // taken: the caller owns the tensors (the worker is done with the slot)
            if (torch.CurrentDisposeScope is { } scope)
            {
                scope.Attach(result.Features);
                scope.Attach(result.Labels);
            }
            return result;
        }
        catch
        {
            slots[batch - firstBatch] = null; // nothing to release
            throw;
        }
        finally
        {
            room.Release();
        }
    }

    private void Work()
    {
        try
        {
            while (true)
            {
                room.Wait(stop.Token);
                var batch = Interlocked.Increment(ref nextToRead) - 1;
                if (batch >= batchCount)
                {
                    room.Release();
                    return;
                }
                var slot = slots[batch - firstBatch]!;
                try
                {
                    slot.SetResult(Read(batch));
                }
                catch (Exception e)
                {
                    slot.SetException(e);
                    stop.Cancel(); // the pass fails at this batch: read no further
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // disposed, or another worker failed
        }
        finally
        {
            Interlocked.Decrement(ref RunningCount);
        }
    }

    private (Tensor Features, Tensor Labels) Read(int batch)
    {
        var store = split.Store;
        var start = (long)batch * batchSize;
        var count = order?.LongLength ?? split.Count;
        var length = (int)Math.Min(batchSize, count - start);
        var pin = split.Device.type == DeviceType.CUDA;
        var positions = new long[length];
        for (var i = 0; i < length; i++) positions[i] = order is null ? start + i : order[start + i];

        var features = Pinned(empty([length, .. store.FeatureShape], store.FeatureType), pin);
        try
        {
            var width = store.FeatureLength;
            var bytes = features.bytes;
            if (store.FeatureType == ScalarType.Byte)
            {
                for (var i = 0; i < length; i++) store.ReadFeatures(split.StoreIndex(positions[i]), bytes.Slice((int)(i * width), (int)width));
            }
            else
            {
                var floats = MemoryMarshal.Cast<byte, float>(bytes);
                for (var i = 0; i < length; i++) store.ReadFeatures(split.StoreIndex(positions[i]), floats.Slice((int)(i * width), (int)width));
            }
            using var index = tensor(positions);
            return (features, Pinned(split.Labels.index_select(0, index), pin));
        }
        catch
        {
            features.Dispose();
            throw;
        }
    }

    private static Tensor Pinned(Tensor tensor, bool pin)
    {
        if (!pin) return tensor;
        var pinned = tensor.pin_memory();
        tensor.Dispose();
        return pinned;
    }

    /// <summary>Stops the workers, waits for them to end, and releases the batches read but not taken.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        stop.Cancel();
        try
        {
            Task.WaitAll(workers);
        }
        catch (AggregateException)
        {
            // a worker's failure is its batch's, thrown by Take
        }
        foreach (var slot in slots)
        {
            if (slot is { Task.IsCompletedSuccessfully: true })
            {
                slot.Task.Result.Features.Dispose();
                slot.Task.Result.Labels.Dispose();
            }
        }
        room.Dispose();
        stop.Dispose();
    }
}
