using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace TsdSr.Tests.Data.PhotoPool.Archives;

/// <summary>
/// Writes small Eet archives as eet_lib does (header, entry records, dictionary records, names, then data), so the
/// reader can be tested without Enlightenment. Offsets are absolute, names carry their NUL.
/// </summary>
internal static class EetWriter
{
    /// <summary>One entry: name, contents, and flags (bit 0 compressed, bits 3+ compression type; zlib is applied when compressed with type &lt; 10).</summary>
    public sealed record Entry(string Name, byte[] Data, int Flags = 0);

    /// <summary>Offset of entry <paramref name="index"/>'s 24-byte record.</summary>
    public static int RecordAt(int index) => 12 + (24 * index);

    public static byte[] Write(IReadOnlyList<Entry> entries, int dictionaryRecords = 0)
    {
        int tables = 12 + (24 * entries.Count) + (20 * dictionaryRecords);
        var names = entries.Select(e => Encoding.UTF8.GetBytes(e.Name + "\0")).ToList();
        var stored = entries.Select(e => (e.Flags & 1) != 0 && ((e.Flags >> 3) & 0xff) < 10 ? Zlib(e.Data) : e.Data).ToList();
        int nameStart = tables, dataStart = nameStart + names.Sum(n => n.Length);
        var bytes = new byte[dataStart + stored.Sum(s => s.Length)];
        Put(bytes, 0, unchecked((int)0x1ee70f42));
        Put(bytes, 4, entries.Count);
        Put(bytes, 8, dictionaryRecords);
        int nameAt = nameStart, dataAt = dataStart;
        for (int i = 0; i < entries.Count; i++)
        {
            int r = RecordAt(i);
            Put(bytes, r, dataAt);
            Put(bytes, r + 4, stored[i].Length);
            Put(bytes, r + 8, entries[i].Data.Length);
            Put(bytes, r + 12, nameAt);
            Put(bytes, r + 16, names[i].Length);
            Put(bytes, r + 20, entries[i].Flags);
            names[i].CopyTo(bytes, nameAt);
            stored[i].CopyTo(bytes, dataAt);
            nameAt += names[i].Length;
            dataAt += stored[i].Length;
        }

        return bytes;
    }

    public static void Put(byte[] bytes, int offset, int value) => BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(offset), value);

    private static byte[] Zlib(byte[] data)
    {
        var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }
}
