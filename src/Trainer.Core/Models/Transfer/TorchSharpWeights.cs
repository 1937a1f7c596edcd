using TorchSharp;
using static TorchSharp.torch;

namespace Trainer.Models.Transfer;

/// <summary>
/// Reads TorchSharp's own weights format (<c>Module.save</c>: an entry count, then per entry its name and tensor: element
/// type, rank and sizes as LEB128 numbers, then the raw bytes) into named CPU tensors without a module, so that the names
/// and shapes can be compared with a model's before anything is copied. Every count and size is checked against the bytes
/// that are left, so a damaged file fails with a sentence rather than a huge allocation.
/// </summary>
internal static class TorchSharpWeights
{
    private const int MostDimensions = 16;

    /// <summary>The tensors of <paramref name="stream"/>, which must hold exactly one state dictionary.</summary>
    /// <exception cref="InvalidDataException">The bytes are not TorchSharp weights.</exception>
    public static Dictionary<string, Tensor> Read(Stream stream)
    {
        var length = stream.Length;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            var count = Decode(reader);
            if (count < 1 || count > length) throw new InvalidDataException($"it claims {count} tensors");
            for (long i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var type = Decode(reader);
                if (!Enum.IsDefined(typeof(ScalarType), (sbyte)type) || type > sbyte.MaxValue)
                    throw new InvalidDataException($"tensor '{name}' has the unknown element type {type}");
                var rank = Decode(reader);
                if (rank > MostDimensions) throw new InvalidDataException($"tensor '{name}' claims {rank} dimensions");
                var shape = new long[rank];
                long elements = 1;
                for (var d = 0; d < rank; d++)
                {
                    shape[d] = Decode(reader);
                    elements = shape[d] > length ? length + 1 : elements * shape[d];
                    if (elements > length) throw new InvalidDataException($"tensor '{name}' claims more elements than the file has bytes");
                }
                var tensor = empty(shape, (ScalarType)type);
                result.Add(name, tensor); // disposed with the others if the rest fails
                var bytes = elements * tensor.ElementSize;
                if (bytes > length - stream.Position) throw new InvalidDataException($"it ends inside tensor '{name}'");
                if (bytes > 0) tensor.bytes = reader.ReadBytes(checked((int)bytes));
            }
            if (stream.Position != length) throw new InvalidDataException($"{length - stream.Position} bytes follow its last tensor");
            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or OverflowException or InvalidDataException)
        {
            foreach (var tensor in result.Values) tensor.Dispose();
            throw e as InvalidDataException ?? new InvalidDataException(e is EndOfStreamException ? "it ends too early" : e.Message, e);
        }
    }

    private static long Decode(BinaryReader reader)
    {
        long value = 0;
        for (var shift = 0; shift < 63; shift += 7)
        {
            var b = reader.ReadByte();
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("a length is longer than 9 bytes");
    }
}
