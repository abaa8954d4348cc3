using TorchSharp;

namespace TsdSr.Core.SafeTensors;

/// <summary>Access to the raw bytes of a contiguous CPU tensor, in chunks (a span is limited to 2 GB).</summary>
internal static class TensorBytes
{
    public const int ChunkBytes = 4 << 20;

    public delegate void ChunkAction(Span<byte> chunk);

    /// <summary>Calls <paramref name="action"/> on consecutive spans covering the tensor's bytes, in order.</summary>
    public static void ForEachChunk(torch.Tensor contiguousCpu, ChunkAction action)
    {
        if (!contiguousCpu.is_contiguous() || contiguousCpu.device_type != DeviceType.CPU)
        {
            throw new ArgumentException("A contiguous CPU tensor is required.", nameof(contiguousCpu));
        }

        long count = contiguousCpu.numel();
        if (count == 0)
        {
            return;
        }

        using var flat = contiguousCpu.view(-1);
        foreach (var (start, length) in Ranges(count, contiguousCpu.ElementSize))
        {
            using var part = flat.narrow(0, start, length);
            action(part.bytes);
        }
    }

    /// <summary>Consecutive (start, length) element ranges of at most <see cref="ChunkBytes"/> each, covering <paramref name="count"/> elements.</summary>
    public static IEnumerable<(long Start, long Length)> Ranges(long count, long elementSize)
    {
        long perChunk = Math.Max(1, ChunkBytes / elementSize);
        for (long start = 0; start < count; start += perChunk)
        {
            yield return (start, Math.Min(perChunk, count - start));
        }
    }
}
