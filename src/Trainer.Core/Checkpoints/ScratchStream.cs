namespace Trainer.Checkpoints;

/// <summary>
/// Memory Streams kept per thread between uses, for serialising checkpoint parts. A fresh <see cref="MemoryStream"/> per
/// checkpoint grows by doubling and is then copied out, so every checkpoint of a few megabytes of state left several times
/// that in large-object-heap garbage, and the process's resident memory grew by it epoch after epoch (the collector's
/// large-object budget scales with the data set, which lives there).
/// </summary>
internal static class ScratchStream
{
    /// <summary>The slot of the model's state.</summary>
    public const int Model = 0;

    /// <summary>The slot of the optimizer's state as TorchSharp writes it.</summary>
    public const int OptimizerRaw = 1;

    /// <summary>The slot of the optimizer's state relabelled.</summary>
    public const int Optimizer = 2;

    [ThreadStatic] private static MemoryStream?[]? Streams;

    /// <summary>The calling thread's stream of <paramref name="slot"/>, emptied (its capacity kept). What it holds is valid
    /// until the next call for the same slot on this thread.</summary>
    public static MemoryStream Rent(int slot)
    {
        Streams ??= new MemoryStream?[3];
        var s = Streams[slot] ??= new MemoryStream();
        s.SetLength(0);
        return s;
    }

    /// <summary>What <paramref name="stream"/> holds, without a copy.</summary>
    public static ReadOnlyMemory<byte> Contents(MemoryStream stream) => stream.GetBuffer().AsMemory(0, (int)stream.Length);
}
