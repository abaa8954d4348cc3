using System.Text;

namespace TsdSr.Data.PhotoPool.Archives;

/// <summary>
/// Reads Qt binary resource files (<c>.rcc</c>, format versions 1–3), as GCompris ships its images in. Layout, all
/// integers big-endian: <c>qres</c>, version, tree offset, data offset, names offset (version 3 adds a flags word).
/// The tree is an array of nodes, 14 bytes each (22 from version 2, which appends a modification time): name offset
/// u32, flags u16 (1 zlib, 2 directory, 4 zstd), then for a directory child count u32 + index of the first child u32,
/// for a file territory u16 + language u16 + data offset u32. Node 0 is the root directory. A name is u16 length,
/// u32 hash, then that many UTF-16BE code units; data is u32 length then the bytes.
/// </summary>
/// <remarks>
/// Every offset, count and length read from the file is checked before use, directory cycles and runaway nesting are
/// refused, and decompression stops at the declared size, so a truncated or hostile archive ends in an
/// <see cref="ArchiveFormatException"/> rather than an out-of-range read or an unbounded allocation.
/// </remarks>
public sealed class RccArchive
{
    private const ushort CompressedFlag = 1;
    private const ushort DirectoryFlag = 2;
    private const ushort CompressedZstdFlag = 4;

    private readonly ArchiveBytes bytes;
    private readonly ArchiveLimits limits;

    private RccArchive(ArchiveBytes bytes, ArchiveLimits limits, int version, IReadOnlyList<RccEntry> entries)
    {
        this.bytes = bytes;
        this.limits = limits;
        Version = version;
        Entries = entries;
    }

    /// <summary>The archive's path or display name.</summary>
    public string Name => this.bytes.Name;

    /// <summary>Format version (1, 2 or 3).</summary>
    public int Version { get; }

    /// <summary>Every file (not directory) in the archive, sorted by path (ordinal).</summary>
    public IReadOnlyList<RccEntry> Entries { get; }

    /// <summary>Reads and indexes an archive file.</summary>
    /// <exception cref="ArchiveFormatException">The file is not a readable Qt resource archive.</exception>
    public static RccArchive Open(string path, ArchiveLimits? limits = null)
    {
        limits ??= ArchiveLimits.Default;
        return Index(ArchiveBytes.ReadFile(path, limits), limits);
    }

    /// <summary>Indexes an archive already in memory (the array is not copied).</summary>
    /// <exception cref="ArchiveFormatException">The bytes are not a readable Qt resource archive.</exception>
    public static RccArchive Parse(byte[] data, string name, ArchiveLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        limits ??= ArchiveLimits.Default;
        if (data.LongLength > limits.MaxArchiveBytes)
        {
            throw new ArchiveFormatException(name, $"{data.LongLength} bytes is over the limit of {limits.MaxArchiveBytes} (ArchiveLimits.MaxArchiveBytes).");
        }

        return Index(new ArchiveBytes(data, name), limits);
    }

    /// <summary>The entry with this path (the first one when localised variants share it), or null.</summary>
    public RccEntry? Find(string path) => Entries.FirstOrDefault(e => string.Equals(e.Path, path, StringComparison.Ordinal));

    /// <summary>The entry's contents, decompressed.</summary>
    /// <exception cref="ArchiveFormatException">Corrupt compressed data, a size over the limit, or zstd.</exception>
    public byte[] Read(RccEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var stored = this.bytes.Span(entry.DataOffset, entry.StoredSize, $"data of '{entry.Path}'");
        switch (entry.Compression)
        {
            case RccCompression.None:
                if (stored.Length > this.limits.MaxEntryBytes)
                {
                    throw this.bytes.Error($"entry '{entry.Path}' has {stored.Length} bytes, over the limit of {this.limits.MaxEntryBytes} (ArchiveLimits.MaxEntryBytes).");
                }

                return stored.ToArray();
            case RccCompression.Zlib:
                if (stored.Length < 4)
                {
                    throw this.bytes.Error($"zlib entry '{entry.Path}' has {stored.Length} bytes, too few for its 4-byte size prefix.");
                }

                long size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(stored);
                return Inflate.Zlib(stored[4..], size, this.limits, Name, entry.Path);
            default:
                throw this.bytes.Error($"entry '{entry.Path}' is zstd-compressed, which this reader does not support.");
        }
    }

    private static RccArchive Index(ArchiveBytes bytes, ArchiveLimits limits)
    {
        if (bytes.Length < 4 || !bytes.Span(0, 4, "magic").SequenceEqual("qres"u8))
        {
            throw bytes.Error("not a Qt resource archive (the file does not start with 'qres').");
        }

        int version = checked((int)Math.Min(bytes.U32(4, "format version"), int.MaxValue));
        if (version is < 1 or > 3)
        {
            throw bytes.Error($"format version {version} is not supported (1–3 are).");
        }

        long tree = bytes.U32(8, "tree offset"), data = bytes.U32(12, "data offset"), names = bytes.U32(16, "names offset");
        int nodeSize = version == 1 ? 14 : 22;
        var entries = new List<RccEntry>();
        var visited = new HashSet<long>();
        var walker = new TreeWalker(bytes, limits, tree, data, names, nodeSize, entries, visited);
        walker.Walk(0, "", 0);
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new RccArchive(bytes, limits, version, entries);
    }

    /// <summary>Depth-first walk of the node array; carries the offsets so the recursion stays readable.</summary>
    private readonly record struct TreeWalker(ArchiveBytes Bytes, ArchiveLimits Limits, long Tree, long Data, long Names, int NodeSize, List<RccEntry> Entries, HashSet<long> Visited)
    {
        public void Walk(long node, string directory, int depth)
        {
            if (depth > Limits.MaxDepth)
            {
                throw Bytes.Error($"directories nest deeper than {Limits.MaxDepth} levels (ArchiveLimits.MaxDepth).");
            }

            if (!Visited.Add(node))
            {
                throw Bytes.Error($"tree node {node} is reached twice; the directory tree has a cycle.");
            }

            if (Visited.Count > Limits.MaxEntries)
            {
                throw Bytes.Error($"more than {Limits.MaxEntries} tree nodes (ArchiveLimits.MaxEntries).");
            }

            long at = Tree + (node * NodeSize);
            Bytes.Require(at, NodeSize, $"tree node {node}");
            ushort flags = Bytes.U16(at + 4, "node flags");
            // The root's name is never used: its path is empty.
            string path = node == 0 ? "" : Join(directory, ReadName(Bytes.U32(at, "name offset")));
            if ((flags & DirectoryFlag) != 0)
            {
                long count = Bytes.U32(at + 6, "child count"), first = Bytes.U32(at + 10, "first child");
                if (count > Limits.MaxEntries)
                {
                    throw Bytes.Error($"directory '{path}' declares {count} children, over the limit of {Limits.MaxEntries}.");
                }

                for (long i = 0; i < count; i++)
                {
                    Walk(first + i, path, depth + 1);
                }

                return;
            }

            if (node == 0)
            {
                throw Bytes.Error("the root tree node is not a directory.");
            }

            var compression = (flags & CompressedZstdFlag) != 0 ? RccCompression.Zstd
                : (flags & CompressedFlag) != 0 ? RccCompression.Zlib
                : RccCompression.None;
            ushort territory = Bytes.U16(at + 6, "territory"), language = Bytes.U16(at + 8, "language");
            long dataAt = Data + Bytes.U32(at + 10, "data offset");
            long size = Bytes.U32(dataAt, $"size of '{path}'");
            Bytes.Require(dataAt + 4, size, $"data of '{path}'");
            Entries.Add(new RccEntry(path, compression, dataAt + 4, size, territory, language));
        }

        private string ReadName(uint offset)
        {
            long at = Names + offset;
            int length = Bytes.U16(at, "name length");
            var utf16 = Bytes.Span(at + 6, length * 2L, "name text");
            string name = Encoding.BigEndianUnicode.GetString(utf16);
            if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                throw Bytes.Error($"invalid entry name '{name}' (empty, '.', '..', or with '/' or NUL).");
            }

            return name;
        }

        private static string Join(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;
    }
}
