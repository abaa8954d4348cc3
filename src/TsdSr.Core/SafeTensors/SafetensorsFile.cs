using System.Buffers.Binary;
using TorchSharp;
using TsdSr.Core.Files;

namespace TsdSr.Core.SafeTensors;

/// <summary>
/// One safetensors file: the header is parsed and validated on open; tensor data is read only when asked for, one tensor
/// at a time, straight into native tensor memory.
/// </summary>
public sealed class SafetensorsFile : ITensorSource
{
    /// <summary>The format's own limit on the JSON header size (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

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

        if (RegularFile.Problem(full) is { } problem)
        {
            throw new SafetensorsFormatException(full, problem);
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
        return TensorSources.ReadAll(file);
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
        // Parameters require grad; writing them must not be recorded by autograd.
        using var noGrad = torch.no_grad();
        if (direct)
        {
            Fill(info, destination);
            return;
        }

        if (destination.device_type == DeviceType.CPU && destination.is_contiguous())
        {
            FillConverted(info, stored, destination);
            return;
        }

        using var temp = Read(name);
        destination.copy_(temp);
    }

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();

    private SafetensorsTensorInfo Info(string name) =>
        tensors.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"Tensor '{name}' is not in '{Path}'.");

    private void Fill(SafetensorsTensorInfo info, torch.Tensor target)
    {
        RequireLittleEndian();
        lock (stream)
        {
            stream.Seek(dataOffset + info.Begin, SeekOrigin.Begin);
            TensorBytes.ForEachChunk(target, chunk => ReadExactly(info, chunk));
        }
    }

    // Converts through one small staging buffer, chunk by chunk, instead of a full-size temporary: no page faults for
    // a fresh temporary per tensor, the chunk is still in cache when it is converted, and the load's peak holds no
    // second copy of the largest tensor.
    private void FillConverted(SafetensorsTensorInfo info, torch.ScalarType stored, torch.Tensor destination)
    {
        long count = destination.numel();
        if (count == 0)
        {
            return;
        }

        RequireLittleEndian();
        var ranges = TensorBytes.Ranges(count, SafetensorsDType.ElementSize(info.DType)).ToList();
        using var staging = torch.empty(ranges[0].Length, stored, torch.CPU);
        using var flat = destination.view(-1);
        lock (stream)
        {
            stream.Seek(dataOffset + info.Begin, SeekOrigin.Begin);
            foreach (var (start, length) in ranges)
            {
                using var chunk = staging.narrow(0, 0, length);
                ReadExactly(info, chunk.bytes);
                using var part = flat.narrow(0, start, length);
                part.copy_(chunk);
            }
        }
    }

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Safetensors data is little-endian; big-endian hosts are not supported.");
        }
    }

    private void ReadExactly(SafetensorsTensorInfo info, Span<byte> span)
    {
        if (stream.ReadAtLeast(span, span.Length, throwOnEndOfStream: false) < span.Length)
        {
            throw new SafetensorsFormatException(Path, $"data of tensor '{info.Name}' ends early (file truncated).");
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
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
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
        var (tensors, metadata) = SafetensorsHeaderParser.Parse(path, headerBytes, fileLength - dataOffset);
        return (dataOffset, tensors, metadata);
    }
}
