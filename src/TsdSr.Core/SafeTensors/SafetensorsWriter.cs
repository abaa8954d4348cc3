using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TorchSharp;
using TsdSr.Core.Files;

namespace TsdSr.Core.SafeTensors;

/// <summary>Writes safetensors files in the layout the reference tools produce (names sorted, data contiguous).</summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/>. The file is written under a temporary name and moved
    /// into place, so an interrupted save never leaves a half-written file at <paramref name="path"/>.
    /// </summary>
    public static void Save(
        string path,
        IEnumerable<KeyValuePair<string, torch.Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var items = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var duplicate = items.GroupBy(t => t.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Tensor name '{duplicate.Key}' appears more than once.", nameof(tensors));
        }

        if (items.Any(t => t.Key == "__metadata__"))
        {
            throw new ArgumentException("'__metadata__' is reserved by the format and cannot name a tensor.", nameof(tensors));
        }

        foreach (var (name, t) in items)
        {
            if (t is null)
            {
                throw new ArgumentException($"Tensor '{name}' is null.", nameof(tensors));
            }
        }

        var header = BuildHeader(items, metadata);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var temp = TemporaryFiles.Create(full);
        using (var fs = new FileStream(temp.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            fs.Write(len);
            fs.Write(header);
            foreach (var (_, t) in items)
            {
                WriteData(fs, t);
            }

            fs.Flush(flushToDisk: true);
        }

        temp.Commit(full, overwrite: true);
    }

    private static byte[] BuildHeader(List<KeyValuePair<string, torch.Tensor>> items, IReadOnlyDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    w.WriteString(k, v);
                }

                w.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, t) in items)
            {
                var dtype = SafetensorsDType.FromScalarType(t.dtype);
                long bytes = t.numel() * SafetensorsDType.ElementSize(dtype);
                w.WriteStartObject(name);
                w.WriteString("dtype", dtype);
                w.WriteStartArray("shape");
                foreach (var d in t.shape)
                {
                    w.WriteNumberValue(d);
                }

                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + bytes);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += bytes;
            }

            w.WriteEndObject();
        }

        // Pad with spaces to a multiple of 8 so that the data section is aligned, as the reference writer does.
        int pad = (int)((8 - (ms.Length % 8)) % 8);
        var header = new byte[ms.Length + pad];
        ms.ToArray().CopyTo(header, 0);
        Encoding.ASCII.GetBytes(new string(' ', pad)).CopyTo(header, (int)ms.Length);
        return header;
    }

    private static void WriteData(Stream fs, torch.Tensor t)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Safetensors data is little-endian; big-endian hosts are not supported.");
        }

        using var scope = torch.NewDisposeScope();
        TensorBytes.ForEachChunk(t.detach().cpu().contiguous(), chunk => fs.Write(chunk));
    }
}
