using System.Buffers.Binary;
using System.Text;

namespace Trainer.Cli.Tests.Support;

/// <summary>
/// The version needs of an ELF64 little-endian shared library (its SHT_GNU_verneed section, what <c>readelf -V</c>
/// prints under "Version needs section"): each needed version's name and its <c>vna_flags</c>.
/// </summary>
public static class ElfVersionNeeds
{
    /// <summary>VER_FLG_WEAK: a missing version is not fatal.</summary>
    public const ushort Weak = 0x2;

    private const uint ShtGnuVerneed = 0x6ffffffe;

    public static IReadOnlyDictionary<string, ushort> Read(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not an ELF64 little-endian file");
        var sectionHeaders = (int)U64(elf, 40);
        int headerSize = U16(elf, 58), sectionCount = U16(elf, 60);
        var needs = new Dictionary<string, ushort>(StringComparer.Ordinal);
        for (var i = 0; i < sectionCount; i++)
        {
            var header = sectionHeaders + i * headerSize;
            if (U32(elf, header + 4) != ShtGnuVerneed) continue;
            var offset = (int)U64(elf, header + 24);
            var strings = (int)U64(elf, sectionHeaders + (int)U32(elf, header + 40) * headerSize + 24);
            var count = U32(elf, header + 44);
            var verneed = offset;
            for (var n = 0; n < count; n++)
            {
                var auxCount = U16(elf, verneed + 2);
                var aux = verneed + (int)U32(elf, verneed + 8);
                for (var j = 0; j < auxCount; j++)
                {
                    needs[Name(elf, strings + (int)U32(elf, aux + 8))] = U16(elf, aux + 4);
                    aux += (int)U32(elf, aux + 12);
                }
                verneed += (int)U32(elf, verneed + 12);
            }
        }
        return needs;
    }

    private static ushort U16(byte[] b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));
    private static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
    private static ulong U64(byte[] b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at));

    private static string Name(byte[] b, int at)
    {
        var end = Array.IndexOf(b, (byte)0, at);
        return Encoding.ASCII.GetString(b, at, end - at);
    }
}
