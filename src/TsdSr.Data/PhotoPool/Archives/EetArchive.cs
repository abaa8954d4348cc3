using System.Text;

namespace TsdSr.Data.PhotoPool.Archives;

/// <summary>
/// Reads Eet archives (Enlightenment's <c>.eet</c> / <c>.edj</c>). Layout, all integers big-endian signed 32-bit:
/// magic <c>0x1ee70f42</c>, entry count, dictionary count; then one 24-byte record per entry (data offset, stored size,
/// uncompressed size, name offset, name length including its NUL, flags); then 20-byte dictionary records, which this
/// reader skips. Offsets are from the start of the file. Flags: bit 0 compressed, bit 1 ciphered, bit 2 alias, bits
/// 3–10 the compression type (0–9 zlib, 10–11 LZ4).
/// </summary>
/// <remarks>Every field is range-checked before use; see <see cref="RccArchive"/> for the same guarantees.</remarks>
public sealed class EetArchive
{
    /// <summary>The magic number of Eet format version 2.</summary>
    public const uint Magic = 0x1ee70f42;

    private const int EntryRecordSize = 24;
    private const int DictionaryRecordSize = 20;

    private readonly ArchiveBytes bytes;
    private readonly ArchiveLimits limits;

    private EetArchive(ArchiveBytes bytes, ArchiveLimits limits, IReadOnlyList<EetEntry> entries)
    {
        this.bytes = bytes;
        this.limits = limits;
        Entries = entries;
    }

    /// <summary>The archive's path or display name.</summary>
    public string Name => this.bytes.Name;

    /// <summary>Every entry, sorted by name (ordinal).</summary>
    public IReadOnlyList<EetEntry> Entries { get; }

    /// <summary>Reads and indexes an archive file.</summary>
    /// <exception cref="ArchiveFormatException">The file is not a readable Eet archive.</exception>
    public static EetArchive Open(string path, ArchiveLimits? limits = null)
    {
        limits ??= ArchiveLimits.Default;
        return Index(ArchiveBytes.ReadFile(path, limits), limits);
    }

    /// <summary>Indexes an archive already in memory (the array is not copied).</summary>
    /// <exception cref="ArchiveFormatException">The bytes are not a readable Eet archive.</exception>
    public static EetArchive Parse(byte[] data, string name, ArchiveLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        limits ??= ArchiveLimits.Default;
        if (data.LongLength > limits.MaxArchiveBytes)
        {
            throw new ArchiveFormatException(name, $"{data.LongLength} bytes is over the limit of {limits.MaxArchiveBytes} (ArchiveLimits.MaxArchiveBytes).");
        }

        return Index(new ArchiveBytes(data, name), limits);
    }

    /// <summary>The entry with this name, or null.</summary>
    public EetEntry? Find(string name) => Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    /// <summary>The entry's contents, decompressed.</summary>
    /// <exception cref="ArchiveFormatException">Ciphered, alias or LZ4 entries, corrupt zlib data, or a size over the limit.</exception>
    public byte[] Read(EetEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.IsCiphered)
        {
            throw this.bytes.Error($"entry '{entry.Name}' is ciphered, which this reader does not support.");
        }

        if (entry.IsAlias)
        {
            throw this.bytes.Error($"entry '{entry.Name}' is an alias of another entry, not content.");
        }

        var stored = this.bytes.Span(entry.DataOffset, entry.StoredSize, $"data of '{entry.Name}'");
        switch (entry.Compression)
        {
            case EetCompression.None:
                if (stored.Length > this.limits.MaxEntryBytes)
                {
                    throw this.bytes.Error($"entry '{entry.Name}' has {stored.Length} bytes, over the limit of {this.limits.MaxEntryBytes} (ArchiveLimits.MaxEntryBytes).");
                }

                return stored.ToArray();
            case EetCompression.Zlib:
                return Inflate.Zlib(stored, entry.Size, this.limits, Name, entry.Name);
            default:
                throw this.bytes.Error($"entry '{entry.Name}' is LZ4-compressed, which this reader does not support.");
        }
    }

    private static EetArchive Index(ArchiveBytes bytes, ArchiveLimits limits)
    {
        if (bytes.Length < 12 || bytes.U32(0, "magic") != Magic)
        {
            throw bytes.Error($"not an Eet archive (the file does not start with the magic number 0x{Magic:x8}).");
        }

        int count = bytes.I32(4, "entry count"), dictionary = bytes.I32(8, "dictionary count");
        if (count < 0 || dictionary < 0)
        {
            throw bytes.Error($"negative entry count ({count}) or dictionary count ({dictionary}).");
        }

        if (count > limits.MaxEntries || dictionary > limits.MaxEntries)
        {
            throw bytes.Error($"{count} entries and {dictionary} dictionary records; the limit is {limits.MaxEntries} (ArchiveLimits.MaxEntries).");
        }

        long headerEnd = 12 + ((long)count * EntryRecordSize) + ((long)dictionary * DictionaryRecordSize);
        bytes.Require(0, headerEnd, "the entry and dictionary tables");
        var entries = new List<EetEntry>(count);
        for (int i = 0; i < count; i++)
        {
            long at = 12 + ((long)i * EntryRecordSize);
            int offset = bytes.I32(at, "data offset"), stored = bytes.I32(at + 4, "stored size"), size = bytes.I32(at + 8, "data size");
            int nameOffset = bytes.I32(at + 12, "name offset"), nameSize = bytes.I32(at + 16, "name size"), flags = bytes.I32(at + 20, "flags");
            if (offset < 0 || stored < 0 || size < 0 || nameOffset < 0 || nameSize <= 0)
            {
                throw bytes.Error($"entry {i} has a negative offset or size, or an empty name.");
            }

            string name = ReadName(bytes, nameOffset, nameSize, i);
            bytes.Require(offset, stored, $"data of '{name}'");
            bool compressed = (flags & 1) != 0;
            int type = (flags >> 3) & 0xff;
            var compression = !compressed ? EetCompression.None : type <= 9 ? EetCompression.Zlib : EetCompression.Lz4;
            entries.Add(new EetEntry(name, offset, stored, compressed ? size : stored, compression, (flags & 2) != 0, (flags & 4) != 0));
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new EetArchive(bytes, limits, entries);
    }

    private static string ReadName(ArchiveBytes bytes, int offset, int size, int index)
    {
        var raw = bytes.Span(offset, size, $"name of entry {index}");
        // Eet stores the terminating NUL in the size; older writers may omit it.
        if (raw[^1] == 0)
        {
            raw = raw[..^1];
        }

        if (raw.IsEmpty || raw.Contains((byte)0))
        {
            throw bytes.Error($"entry {index} has an empty name or one with a NUL inside.");
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(raw);
        }
        catch (DecoderFallbackException e)
        {
            throw new ArchiveFormatException(bytes.Name, $"entry {index} has a name that is not UTF-8.", e);
        }
    }
}
