using System.Buffers.Binary;
using System.IO.Compression;

namespace Trainer.Tests.Support;

/// <summary>Writes small unsigned-byte IDX files for tests.</summary>
public static class IdxWriter
{
    public static byte[] Encode(int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public static void Write(string path, int[] dimensions, byte[] data, bool gzip)
    {
        var bytes = Encode(dimensions, data);
        if (!gzip)
        {
            File.WriteAllBytes(path, bytes);
            return;
        }
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(bytes);
    }

    /// <summary>Writes the four MNIST-style files for <paramref name="count"/> random 4x4 images per split.</summary>
    public static void WriteDataSet(string folder, int count, bool gzip, int seed = 1)
    {
        var random = new Random(seed);
        foreach (var prefix in new[] { "train", "t10k" })
        {
            var pixels = new byte[count * 16];
            random.NextBytes(pixels);
            var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 3)).ToArray();
            var suffix = gzip ? ".gz" : "";
            Write(Path.Combine(folder, $"{prefix}-images-idx3-ubyte{suffix}"), [count, 4, 4], pixels, gzip);
            Write(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte{suffix}"), [count], labels, gzip);
        }
    }
}
