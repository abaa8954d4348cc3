using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace TsdSr.Tests.Data.PhotoPool.Archives;

/// <summary>
/// Writes small Qt resource archives the way Qt's rcc lays them out (header, data, names, then the node array with
/// each directory's children at consecutive indices), so the reader can be tested without Qt. The offsets are
/// returned so tests can corrupt specific fields.
/// </summary>
internal static class RccWriter
{
    /// <summary>A written archive and where its sections start.</summary>
    public sealed record Image(byte[] Bytes, int TreeOffset, int DataOffset, int NamesOffset, int NodeSize, IReadOnlyList<string> NodePaths)
    {
        /// <summary>Byte offset of the node that has this path ("" for the root).</summary>
        public int NodeAt(string path) => TreeOffset + (NodeSize * NodePaths.ToList().IndexOf(path));

        public Image With(Action<byte[]> patch)
        {
            var copy = (byte[])Bytes.Clone();
            patch(copy);
            return this with { Bytes = copy };
        }
    }

    /// <summary>One file: its path, contents, and whether to store it zlib-compressed (Qt's qCompress layout).</summary>
    public sealed record File(string Path, byte[] Data, bool Zlib = false);

    public static Image Write(int version, params File[] files)
    {
        // Directory tree: every folder with its sorted child names.
        var children = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal) { [""] = new(StringComparer.Ordinal) };
        foreach (var file in files)
        {
            var parts = file.Path.Split('/');
            for (int i = 0; i < parts.Length; i++)
            {
                string parent = string.Join('/', parts[..i]), self = string.Join('/', parts[..(i + 1)]);
                children.TryAdd(parent, new(StringComparer.Ordinal));
                children[parent].Add(self);
                if (i < parts.Length - 1)
                {
                    children.TryAdd(self, new(StringComparer.Ordinal));
                }
            }
        }

        // Breadth-first numbering: the root is node 0, a folder's children are consecutive.
        var order = new List<string> { "" };
        var firstChild = new Dictionary<string, int>();
        for (int i = 0; i < order.Count; i++)
        {
            if (children.TryGetValue(order[i], out var kids))
            {
                firstChild[order[i]] = order.Count;
                order.AddRange(kids);
            }
        }

        int headerSize = version >= 3 ? 24 : 20;
        var data = new MemoryStream();
        var dataOffsets = new Dictionary<string, int>();
        foreach (var file in files)
        {
            dataOffsets[file.Path] = (int)data.Length;
            var stored = file.Zlib ? QCompress(file.Data) : file.Data;
            WriteU32(data, (uint)stored.Length);
            data.Write(stored);
        }

        var names = new MemoryStream();
        var nameOffsets = new Dictionary<string, int>();
        foreach (var path in order.Skip(1))
        {
            var name = path.Split('/')[^1];
            if (nameOffsets.ContainsKey(name))
            {
                continue;
            }

            nameOffsets[name] = (int)names.Length;
            WriteU16(names, (ushort)name.Length);
            WriteU32(names, (uint)name.GetHashCode(StringComparison.Ordinal));
            names.Write(Encoding.BigEndianUnicode.GetBytes(name));
        }

        int nodeSize = version == 1 ? 14 : 22;
        var tree = new MemoryStream();
        var zlibPaths = files.Where(f => f.Zlib).Select(f => f.Path).ToHashSet();
        foreach (var path in order)
        {
            WriteU32(tree, path.Length == 0 ? 0u : (uint)nameOffsets[path.Split('/')[^1]]);
            if (children.ContainsKey(path))
            {
                WriteU16(tree, 2);
                WriteU32(tree, (uint)children[path].Count);
                WriteU32(tree, (uint)firstChild[path]);
            }
            else
            {
                WriteU16(tree, (ushort)(zlibPaths.Contains(path) ? 1 : 0));
                WriteU16(tree, 0);
                WriteU16(tree, 1);
                WriteU32(tree, (uint)dataOffsets[path]);
            }

            if (version >= 2)
            {
                tree.Write(new byte[8]);
            }
        }

        int dataOffset = headerSize, namesOffset = dataOffset + (int)data.Length, treeOffset = namesOffset + (int)names.Length;
        var output = new MemoryStream();
        output.Write("qres"u8);
        WriteU32(output, (uint)version);
        WriteU32(output, (uint)treeOffset);
        WriteU32(output, (uint)dataOffset);
        WriteU32(output, (uint)namesOffset);
        if (version >= 3)
        {
            WriteU32(output, 0);
        }

        output.Write(data.ToArray());
        output.Write(names.ToArray());
        output.Write(tree.ToArray());
        return new Image(output.ToArray(), treeOffset, dataOffset, namesOffset, nodeSize, order);
    }

    /// <summary>Qt's qCompress: the uncompressed size as a big-endian u32, then a zlib stream.</summary>
    public static byte[] QCompress(byte[] data)
    {
        var output = new MemoryStream();
        WriteU32(output, (uint)data.Length);
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    public static void PutU32(byte[] bytes, int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offset), value);

    public static void PutU16(byte[] bytes, int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(offset), value);

    private static void WriteU32(Stream s, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        s.Write(b);
    }

    private static void WriteU16(Stream s, ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        s.Write(b);
    }
}
