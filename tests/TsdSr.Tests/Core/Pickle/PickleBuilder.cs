using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace TsdSr.Tests.Core.Pickle;

/// <summary>Emits pickle opcodes by hand, in the sequences torch.save (protocol 2) produces.</summary>
internal sealed class PickleBuilder
{
    private readonly List<byte> bytes = [];

    public byte[] ToArray() => [.. bytes];

    public PickleBuilder Raw(params byte[] b)
    {
        bytes.AddRange(b);
        return this;
    }

    public PickleBuilder Proto(byte version = 2) => Raw(0x80, version);

    public PickleBuilder Global(string module, string name) => Raw((byte)'c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    public PickleBuilder Mark() => Raw((byte)'(');

    public PickleBuilder Str(string s)
    {
        var utf8 = Encoding.UTF8.GetBytes(s);
        var len = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(len, utf8.Length);
        return Raw((byte)'X').Raw(len).Raw(utf8);
    }

    public PickleBuilder Int(long n)
    {
        if (n is >= 0 and <= 255)
        {
            return Raw((byte)'K', (byte)n);
        }

        if (n is >= 0 and <= 65535)
        {
            return Raw((byte)'M', (byte)n, (byte)(n >> 8));
        }

        if (n is >= int.MinValue and <= int.MaxValue)
        {
            var b = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)n);
            return Raw((byte)'J').Raw(b);
        }

        var l = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(l, n);
        return Raw(0x8a, 8).Raw(l); // LONG1
    }

    public PickleBuilder IntTuple(params long[] values)
    {
        Mark();
        foreach (var v in values)
        {
            Int(v);
        }

        return Tuple();
    }

    public PickleBuilder Tuple() => Raw((byte)'t');

    public PickleBuilder EmptyTuple() => Raw((byte)')');

    public PickleBuilder EmptyDict() => Raw((byte)'}');

    public PickleBuilder EmptyList() => Raw((byte)']');

    public PickleBuilder SetItems() => Raw((byte)'u');

    public PickleBuilder Reduce() => Raw((byte)'R');

    public PickleBuilder Build() => Raw((byte)'b');

    public PickleBuilder False() => Raw(0x89);

    public PickleBuilder Put(byte i) => Raw((byte)'q', i);

    public PickleBuilder Get(byte i) => Raw((byte)'h', i);

    public PickleBuilder Stop() => Raw((byte)'.');

    /// <summary>collections.OrderedDict() — how torch.save starts a state dict.</summary>
    public PickleBuilder OrderedDict() => Global("collections", "OrderedDict").EmptyTuple().Reduce();

    /// <summary>_rebuild_tensor_v2(storage pid, offset, size, stride, False, OrderedDict()).</summary>
    public PickleBuilder Tensor(string storageKey, string storageClass, long storageNumel, long offset, long[] size, long[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Mark();
        Mark().Str("storage").Global("torch", storageClass).Str(storageKey).Str("cpu").Int(storageNumel).Tuple().Raw((byte)'Q');
        Int(offset).IntTuple(size).IntTuple(stride).False().OrderedDict();
        return Tuple().Reduce();
    }

    /// <summary>A contiguous tensor over a whole storage.</summary>
    public PickleBuilder Tensor(string storageKey, string storageClass, params long[] size)
    {
        var stride = new long[size.Length];
        long s = 1;
        for (int i = size.Length - 1; i >= 0; i--)
        {
            stride[i] = s;
            s *= size[i];
        }

        return Tensor(storageKey, storageClass, s, 0, size, stride);
    }
}

/// <summary>Writes the torch.save zip container around a pickle.</summary>
internal static class TorchZip
{
    public static string Write(string path, byte[] pickle, IReadOnlyDictionary<string, byte[]>? storages = null, string archive = "archive", string? byteOrder = "little")
    {
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Add(zip, $"{archive}/data.pkl", pickle);
            if (byteOrder is not null)
            {
                Add(zip, $"{archive}/byteorder", Encoding.ASCII.GetBytes(byteOrder));
            }

            foreach (var (key, data) in storages ?? new Dictionary<string, byte[]>())
            {
                Add(zip, $"{archive}/data/{key}", data);
            }

            Add(zip, $"{archive}/version", "3\n"u8.ToArray());
        }

        return path;
    }

    /// <summary>
    /// A torch.save file whose one storage is <paramref name="zeroBytes"/> zero bytes, deflated as it is written (a few
    /// hundred KB per hundred MB), so inflation attacks can be built without holding the data in memory.
    /// </summary>
    public static string WriteDeflatedZeros(string path, byte[] pickle, string storageKey, long zeroBytes, string archive = "archive")
    {
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Add(zip, $"{archive}/data.pkl", pickle);
            Add(zip, $"{archive}/byteorder", "little"u8.ToArray());
            var entry = zip.CreateEntry($"{archive}/data/{storageKey}", CompressionLevel.SmallestSize);
            using (var s = entry.Open())
            {
                var chunk = new byte[1 << 20];
                for (long left = zeroBytes; left > 0; left -= chunk.Length)
                {
                    s.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
                }
            }

            Add(zip, $"{archive}/version", "3\n"u8.ToArray());
        }

        return path;
    }

    public static byte[] Bytes<T>(params T[] values)
        where T : struct => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static void Add(ZipArchive zip, string name, byte[] data)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var s = entry.Open();
        s.Write(data);
    }
}
