using System.Buffers.Binary;
using System.IO.Compression;
using Trainer.Recipes;

namespace Trainer.Data;

/// <summary>
/// Reads IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or raw: a header of two zero bytes, a type
/// code (0x08 for unsigned bytes), the number of dimensions, each dimension as a big-endian int32, then the data.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Reads an unsigned-byte IDX file; throws <see cref="RecipeException"/> naming the file when it is missing or corrupt.</summary>
    /// <returns>The dimensions and the data in row-major order.</returns>
    public static (int[] Dimensions, byte[] Data) ReadBytes(string path)
    {
        var (dims, buffer, offset) = Read(path);
        return (dims, buffer[offset..]);
    }

    /// <summary>
    /// Like <see cref="ReadBytes"/>, without copying the values out of the decompressed file: they start at
    /// <c>Offset</c> in <c>Buffer</c> (after the header).
    /// </summary>
    public static (int[] Dimensions, byte[] Buffer, int Offset) Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = ReadAllMaybeGzip(path);
        }
        catch (FileNotFoundException)
        {
            throw new RecipeException($"Data file '{path}' does not exist.");
        }
        catch (InvalidDataException e)
        {
            throw new RecipeException($"Data file '{path}' is not a valid gzip file ({e.Message}). Replace it with a good copy.");
        }

        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw Corrupt(path, "it does not start with an IDX header (two zero bytes, type, dimension count)");
        if (bytes[2] != UnsignedByte)
            throw Corrupt(path, $"its element type code is 0x{bytes[2]:X2}; only unsigned bytes (0x08) are supported");
        int rank = bytes[3];
        if (rank is < 1 or > 4) throw Corrupt(path, $"it declares {rank} dimensions (1 to 4 expected)");
        if (bytes.Length < 4 + 4 * rank) throw Corrupt(path, "its header is truncated");

        var dims = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (dims[i] <= 0) throw Corrupt(path, $"dimension {i} is {dims[i]}");
            count *= dims[i];
        }
        var offset = 4 + 4 * rank;
        if (bytes.Length - offset != count)
            throw Corrupt(path, $"its header declares {count} values ({string.Join(" x ", dims)}) but it holds {bytes.Length - offset}");
        return (dims, bytes, offset);
    }

    private static RecipeException Corrupt(string path, string why) =>
        new($"Data file '{path}' is not a valid IDX file: {why}. Replace it with a good copy.");

    private static byte[] ReadAllMaybeGzip(string path)
    {
        var raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b) return raw;
        // The gzip trailer's last four bytes hold the uncompressed size (mod 2³²): decompress straight into an array of
        // that size rather than through a growing buffer and a copy. A wrong size (a damaged file) reads the slow way.
        var size = raw.Length >= 18 ? BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(raw.Length - 4)) : 0u;
        if (size is > 0 and < int.MaxValue)
        {
            var exact = new byte[size];
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            try
            {
                gzip.ReadExactly(exact);
                if (gzip.ReadByte() == -1) return exact;
            }
            catch (EndOfStreamException)
            {
                // shorter than its trailer says: the slow path below reports what is wrong with it
            }
        }
        using var again = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
        using var output = new MemoryStream(raw.Length * 4);
        again.CopyTo(output);
        return output.ToArray();
    }
}
