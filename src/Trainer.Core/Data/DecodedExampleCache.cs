using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// <c>Data:Cache disk</c>: an <see cref="ExampleStore"/> that keeps every example it has read, as the source decoded it,
/// in one file on disk, so later epochs read a fixed-size record instead of opening and decoding the source's file again.
/// The file is the decoded features (bytes or float32), one record per example at index × record size; it is created
/// empty, filled as examples are first read, and gone when the store is disposed or the process ends, even by a kill. Memory stays
/// bounded: records are read with positional reads, not mapped. The records are the bytes the source wrote, so the batches
/// are the same as without the cache. A failure to write or read the file (a full disk) turns the cache off, not the run.
/// Thread-safe as <see cref="ExampleStore"/> requires.
/// </summary>
public sealed class DecodedExampleCache : ExampleStore
{
    private readonly ExampleStore source;
    private readonly SafeFileHandle file;
    private readonly byte[] cached; // 1 once example i's record is complete in the file
    private readonly long recordBytes;
    private volatile bool usable = true; // false once the file could not be written or read: every read goes to the source

    /// <summary>Opens a new cache file for <paramref name="source"/>'s examples in <paramref name="directory"/>.</summary>
    /// <param name="source">The store whose examples are cached; owned: disposed with the cache.</param>
    /// <param name="directory">Where the cache file is written (<c>Data:CacheDirectory</c>); created if missing.</param>
    /// <exception cref="Recipes.RecipeException">The directory cannot be written to.</exception>
    public DecodedExampleCache(ExampleStore source, string directory)
    {
        ArgumentNullException.ThrowIfNull(source);
        this.source = source;
        recordBytes = source.FeatureLength * (source.FeatureType == ScalarType.Byte ? 1 : sizeof(float));
        cached = new byte[checked((int)source.Count)];
        try
        {
            Directory.CreateDirectory(directory);
            Path = System.IO.Path.Combine(directory, $"trainer-decoded-{Environment.ProcessId}-{Guid.NewGuid():N}.cache");
            file = File.OpenHandle(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, FileOptions.DeleteOnClose);
            // Unlinked at once where an open file can be (Linux, macOS), so not even a killed run leaves it behind; Windows
            // deletes it when the handle closes, which the system does for a killed process too.
            if (!OperatingSystem.IsWindows()) File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Recipes.RecipeException($"Data:CacheDirectory '{directory}' cannot hold the decoded-example cache: {e.Message} " +
                                              "Set Data:CacheDirectory to a writable folder, or Data:Cache to none.");
        }
    }

    /// <summary>The cache file's path (on Linux and macOS already unlinked: the file lives while the cache holds it open).</summary>
    public string Path { get; }

    /// <summary>Number of examples read from the source so far (each once, unless the cache was turned off).</summary>
    public long SourceReads => Interlocked.Read(ref sourceReads);

    private long sourceReads;

    /// <inheritdoc />
    public override long Count => source.Count;

    /// <inheritdoc />
    public override long[] FeatureShape => source.FeatureShape;

    /// <inheritdoc />
    public override ScalarType FeatureType => source.FeatureType;

    /// <inheritdoc />
    public override Tensor Labels => source.Labels;

    /// <inheritdoc />
    public override int ClassCount => source.ClassCount;

    /// <inheritdoc />
    public override IReadOnlyList<string>? ClassNames => source.ClassNames;

    /// <inheritdoc />
    public override void ReadFeatures(long index, Span<byte> destination)
    {
        if (TryReadRecord(index, destination)) return;
        source.ReadFeatures(index, destination);
        KeepRecord(index, destination);
    }

    /// <inheritdoc />
    public override void ReadFeatures(long index, Span<float> destination)
    {
        var bytes = MemoryMarshal.AsBytes(destination);
        if (TryReadRecord(index, bytes)) return;
        source.ReadFeatures(index, destination);
        KeepRecord(index, bytes);
    }

    /// <inheritdoc />
    public override string Describe(long index) => source.Describe(index);

    private bool TryReadRecord(long index, Span<byte> destination)
    {
        if (!usable || Volatile.Read(ref cached[index]) == 0) return false;
        var record = destination[..(int)recordBytes];
        try
        {
            return RandomAccess.Read(file, record, index * recordBytes) == record.Length;
        }
        catch (IOException)
        {
            usable = false; // the cache's disk failed: the source is still there
            return false;
        }
    }

    private void KeepRecord(long index, ReadOnlySpan<byte> features)
    {
        Interlocked.Increment(ref sourceReads);
        if (!usable) return;
        try
        {
            RandomAccess.Write(file, features[..(int)recordBytes], index * recordBytes);
            Volatile.Write(ref cached[index], 1);
        }
        catch (IOException)
        {
            usable = false; // a full disk: read from the source from now on
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
            source.Dispose();
        }
        base.Dispose(disposing);
    }
}
