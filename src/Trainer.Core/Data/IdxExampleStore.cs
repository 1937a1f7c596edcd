using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Trainer.Recipes;
using static TorchSharp.torch;

namespace Trainer.Data;

/// <summary>
/// The images of an uncompressed IDX file (count × rows × columns unsigned bytes) read one at a time from storage for the
/// streaming data path: fixed-size records at known offsets, read with <see cref="RandomAccess"/> (thread-safe, no shared
/// file position). The labels file is read whole (it is small; it may be gzip-compressed).
/// </summary>
public sealed class IdxExampleStore : ExampleStore
{
    private readonly SafeFileHandle images;
    private readonly string imagesPath;
    private readonly long dataOffset;
    private readonly long[] featureShape;
    private readonly Tensor labels;

    /// <summary>Opens <paramref name="imagesPath"/> (uncompressed) and reads <paramref name="labelsPath"/>.</summary>
    /// <exception cref="RecipeException">A file is missing, compressed (the images), corrupt, or the two disagree; the message names it.</exception>
    public IdxExampleStore(string imagesPath, string labelsPath)
    {
        this.imagesPath = imagesPath;
        try
        {
            images = File.OpenHandle(imagesPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RecipeException($"Data file '{imagesPath}' does not exist.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException($"Data file '{imagesPath}' cannot be opened ({e.Message}).");
        }
        try
        {
            (featureShape, dataOffset, Count) = ReadHeader();
            var (labelDims, labelBytes, labelOffset) = IdxFile.Read(labelsPath);
            if (labelDims.Length != 1)
                throw new RecipeException($"Data file '{labelsPath}' holds {labelDims.Length} dimensions; labels need 1.");
            if (labelDims[0] != Count)
                throw new RecipeException($"Data files '{imagesPath}' and '{labelsPath}' disagree: {Count} images but {labelDims[0]} labels.");
            ClassCount = labelBytes.AsSpan(labelOffset).ToArray().Max() + 1;
            using var labelView = frombuffer(labelBytes, ScalarType.Byte, labelDims[0], labelOffset);
            labels = labelView.to_type(ScalarType.Int64);
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file at <paramref name="path"/> starts with gzip's magic bytes (a compressed file cannot be read by example).</summary>
    public static bool IsCompressed(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        return file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <inheritdoc />
    public override long Count { get; }

    /// <inheritdoc />
    public override long[] FeatureShape => featureShape;

    /// <inheritdoc />
    public override ScalarType FeatureType => ScalarType.Byte;

    /// <inheritdoc />
    public override Tensor Labels => labels;

    /// <inheritdoc />
    public override int ClassCount { get; }

    /// <inheritdoc />
    public override void ReadFeatures(long index, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var length = FeatureLength;
        if (destination.Length < length) throw new ArgumentException($"The destination holds {destination.Length} bytes; an image has {length}.", nameof(destination));
        var target = destination[..(int)length];
        var offset = dataOffset + index * length;
        try
        {
            while (target.Length > 0)
            {
                var read = RandomAccess.Read(images, target, offset);
                if (read == 0)
                    throw new RecipeException($"Data file '{imagesPath}' ended before image {index} (it was shortened after it was opened). Replace it with a good copy.");
                target = target[read..];
                offset += read;
            }
        }
        catch (IOException e)
        {
            throw new RecipeException($"Data file '{imagesPath}' could not be read at image {index} ({e.Message}).");
        }
    }

    /// <inheritdoc />
    public override string Describe(long index) => $"image {index} of '{imagesPath}'";

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            images.Dispose();
            labels.Dispose();
        }
        base.Dispose(disposing);
    }

    private (long[] Shape, long Offset, long Count) ReadHeader()
    {
        Span<byte> header = stackalloc byte[16];
        var read = RandomAccess.Read(images, header, 0);
        if (read >= 2 && header[0] == 0x1f && header[1] == 0x8b)
            throw new RecipeException($"Data file '{imagesPath}' is gzip-compressed, and the streaming data path reads images one at a time from an " +
                                      $"uncompressed file; decompress it (gunzip -k '{imagesPath}') or set Data:Loading to memory.");
        if (read < 4 || header[0] != 0 || header[1] != 0)
            throw Corrupt("it does not start with an IDX header (two zero bytes, type, dimension count)");
        if (header[2] != 0x08) throw Corrupt($"its element type code is 0x{header[2]:X2}; only unsigned bytes (0x08) are supported");
        if (header[3] != 3) throw Corrupt($"it holds {header[3]} dimensions; images need 3 (count, rows, columns)");
        if (read < 16) throw Corrupt("its header is truncated");
        var dims = new long[3];
        for (var i = 0; i < 3; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(header[(4 + 4 * i)..]);
            if (dims[i] <= 0) throw Corrupt($"dimension {i} is {dims[i]}");
        }
        var values = dims[0] * dims[1] * dims[2];
        var size = RandomAccess.GetLength(images);
        if (size - 16 != values)
            throw Corrupt($"its header declares {values} values ({string.Join(" x ", dims)}) but it holds {size - 16}");
        return ([1, dims[1], dims[2]], 16, dims[0]);
    }

    private RecipeException Corrupt(string why) => new($"Data file '{imagesPath}' is not a valid IDX file: {why}. Replace it with a good copy.");
}
