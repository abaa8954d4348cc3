using System.Buffers.Binary;

namespace TsdSr.Data.PhotoPool.Archives;

/// <summary>
/// Bounds-checked big-endian reads over an archive held in memory. Offsets are <see langword="long"/> so that
/// offset + length sums from 32-bit fields cannot overflow; every read past the end throws
/// <see cref="ArchiveFormatException"/> naming what was being read.
/// </summary>
internal readonly struct ArchiveBytes
{
    private readonly byte[] data;

    public ArchiveBytes(byte[] data, string name)
    {
        this.data = data;
        Name = name;
    }

    public string Name { get; }

    public long Length => this.data.LongLength;

    public ushort U16(long offset, string what) => BinaryPrimitives.ReadUInt16BigEndian(Span(offset, 2, what));

    public uint U32(long offset, string what) => BinaryPrimitives.ReadUInt32BigEndian(Span(offset, 4, what));

    public int I32(long offset, string what) => BinaryPrimitives.ReadInt32BigEndian(Span(offset, 4, what));

    /// <summary>The bytes [offset, offset + length), or an exception when any of them lies outside the archive.</summary>
    public ReadOnlySpan<byte> Span(long offset, long length, string what)
    {
        Require(offset, length, what);
        return this.data.AsSpan((int)offset, (int)length);
    }

    /// <summary>Throws unless [offset, offset + length) lies inside the archive.</summary>
    public void Require(long offset, long length, string what)
    {
        if (offset < 0 || length < 0 || offset > this.data.LongLength || length > this.data.LongLength - offset)
        {
            throw new ArchiveFormatException(Name, $"{what} at offset {offset} ({length} bytes) lies outside the {this.data.LongLength}-byte archive; it is truncated or corrupt.");
        }
    }

    public ArchiveFormatException Error(string message) => new(Name, message);

    /// <summary>Reads a whole archive file, refusing files over the limit before allocating.</summary>
    public static ArchiveBytes ReadFile(string path, ArchiveLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        if (stream.Length > limits.MaxArchiveBytes)
        {
            throw new ArchiveFormatException(path, $"the file has {stream.Length} bytes, over the limit of {limits.MaxArchiveBytes} (ArchiveLimits.MaxArchiveBytes).");
        }

        var data = new byte[stream.Length];
        stream.ReadExactly(data);
        return new ArchiveBytes(data, path);
    }
}
