using System.Text;
using System.Text.Json;
using TorchSharp;

namespace TsdSr.Core.SafeTensors;

/// <summary>
/// One safetensors file: the header is parsed and validated on open; tensor data is read only when asked for, one tensor
/// at a time, straight into native tensor memory.
/// </summary>
public sealed class SafetensorsFile : ITensorSource
{
    /// <summary>The format's own limit on the JSON header size (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const int JsonMaxDepth = 8;

    private readonly FileStream stream;
    private readonly long dataOffset;
    private readonly Dictionary<string, SafetensorsTensorInfo> tensors;
    private readonly Dictionary<string, string> metadata;

    private SafetensorsFile(string path, FileStream stream, long dataOffset, Dictionary<string, SafetensorsTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        this.stream = stream;
        this.dataOffset = dataOffset;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Description => Path;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors => tensors;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Metadata => metadata;

    /// <summary>Opens a file and validates its header. No tensor data is read.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SafetensorsFormatException">The file is not a valid safetensors file.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Safetensors file not found: '{full}'.", full);
        }

        var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        try
        {
            var (dataOffset, entries, meta) = ReadHeader(full, stream);
            return new SafetensorsFile(full, stream, dataOffset, entries, meta);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads every tensor of a file into a dictionary of new CPU tensors (small files and tests).</summary>
    public static Dictionary<string, torch.Tensor> LoadAll(string path)
    {
        using var file = Open(path);
        var result = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (var name in file.tensors.Keys.Order(StringComparer.Ordinal))
        {
            result[name] = file.Read(name);
        }

        return result;
    }

    /// <inheritdoc />
    public torch.Tensor Read(string name)
    {
        var info = Info(name);
        var t = torch.empty(info.Shape, SafetensorsDType.ToScalarType(info.DType), torch.CPU);
        try
        {
            Fill(info, t);
            return t;
        }
        catch
        {
            t.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void ReadInto(string name, torch.Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var info = Info(name);
        if (!destination.shape.SequenceEqual(info.Shape))
        {
            throw new ArgumentException(
                $"Tensor '{name}' in '{Path}' has shape {info.ShapeText}, the destination has [{string.Join(", ", destination.shape)}].",
                nameof(destination));
        }

        var stored = SafetensorsDType.ToScalarType(info.DType);
        bool direct = destination.dtype == stored && destination.device_type == DeviceType.CPU && destination.is_contiguous();
        if (direct)
        {
            Fill(info, destination);
            return;
        }

        using var temp = Read(name);
        using (torch.no_grad())
        {
            destination.copy_(temp);
        }
    }

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();

    private SafetensorsTensorInfo Info(string name) =>
        tensors.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"Tensor '{name}' is not in '{Path}'.");

    private void Fill(SafetensorsTensorInfo info, torch.Tensor target)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Safetensors data is little-endian; big-endian hosts are not supported.");
        }

        lock (stream)
        {
            stream.Seek(dataOffset + info.Begin, SeekOrigin.Begin);
            TensorBytes.ForEachChunk(target, chunk =>
            {
                if (stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false) < chunk.Length)
                {
                    throw new SafetensorsFormatException(Path, $"data of tensor '{info.Name}' ends early (file truncated).");
                }
            });
        }
    }

    private static (long DataOffset, Dictionary<string, SafetensorsTensorInfo> Tensors, Dictionary<string, string> Metadata)
        ReadHeader(string path, FileStream stream)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw new SafetensorsFormatException(path, $"the file has {fileLength} bytes, fewer than the 8-byte header length.");
        }

        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BitConverter.ToUInt64(lengthBytes);
        if (headerLength > MaxHeaderBytes)
        {
            throw new SafetensorsFormatException(path, $"the header claims {headerLength} bytes, more than the format's limit of {MaxHeaderBytes}.");
        }

        if ((long)headerLength > fileLength - 8)
        {
            throw new SafetensorsFormatException(path, $"the header claims {headerLength} bytes but only {fileLength - 8} follow (file truncated?).");
        }

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        long dataOffset = 8 + (long)headerLength;
        long dataLength = fileLength - dataOffset;

        string json;
        try
        {
            json = new UTF8Encoding(false, true).GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new SafetensorsFormatException(path, "the header is not valid UTF-8.", e);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = JsonMaxDepth });
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(path, $"the header is not valid JSON ({e.Message}).", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SafetensorsFormatException(path, "the header is not a JSON object.");
            }

            var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    ParseMetadata(path, prop.Value, metadata);
                    continue;
                }

                if (tensors.ContainsKey(prop.Name))
                {
                    throw new SafetensorsFormatException(path, $"tensor '{prop.Name}' appears twice in the header.");
                }

                tensors[prop.Name] = ParseEntry(path, prop.Name, prop.Value, dataLength);
            }

            CheckOverlaps(path, tensors.Values);
            return (dataOffset, tensors, metadata);
        }
    }

    private static void ParseMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(path, "__metadata__ is not an object.");
        }

        foreach (var m in value.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafetensorsFormatException(path, $"__metadata__ value '{m.Name}' is not a string.");
            }

            metadata[m.Name] = m.Value.GetString()!;
        }
    }

    private static SafetensorsTensorInfo ParseEntry(string path, string name, JsonElement e, long dataLength)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(path, $"entry '{name}' is not an object.");
        }

        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
        {
            throw new SafetensorsFormatException(path, $"entry '{name}' has no dtype string.");
        }

        var dtype = dt.GetString()!;
        if (!SafetensorsDType.IsSupported(dtype))
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' has unsupported dtype '{dtype}' (supported: {string.Join(", ", SafetensorsDType.Supported)}).");
        }

        if (!e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
        {
            throw new SafetensorsFormatException(path, $"entry '{name}' has no shape array.");
        }

        var shape = new long[sh.GetArrayLength()];
        int i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var v) || v < 0)
            {
                throw new SafetensorsFormatException(path, $"tensor '{name}' has an invalid dimension in its shape.");
            }

            shape[i++] = v;
        }

        if (!e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
        {
            throw new SafetensorsFormatException(path, $"entry '{name}' has no [begin, end] data_offsets.");
        }

        if (!off[0].TryGetInt64(out var begin) || !off[1].TryGetInt64(out var end) || begin < 0 || end < begin)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' has invalid data_offsets.");
        }

        if (end > dataLength)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' ends at byte {end} of the data section, which has only {dataLength} bytes (file truncated?).");
        }

        long expected;
        try
        {
            long n = 1;
            foreach (var d in shape)
            {
                n = checked(n * d);
            }

            expected = checked(n * SafetensorsDType.ElementSize(dtype));
        }
        catch (OverflowException)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' has a shape whose size overflows.");
        }

        if (expected != end - begin)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' ({dtype} [{string.Join(", ", shape)}]) needs {expected} bytes but its data_offsets span {end - begin}.");
        }

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static void CheckOverlaps(string path, IEnumerable<SafetensorsTensorInfo> entries)
    {
        SafetensorsTensorInfo? previous = null;
        foreach (var t in entries.Where(t => t.ByteLength > 0).OrderBy(t => t.Begin))
        {
            if (previous is not null && t.Begin < previous.End)
            {
                throw new SafetensorsFormatException(path, $"tensors '{previous.Name}' and '{t.Name}' overlap in the data section.");
            }

            previous = t;
        }
    }
}
