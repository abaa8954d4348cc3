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

        long perChunk = Math.Max(1, ChunkBytes / contiguousCpu.ElementSize);
        using var flat = contiguousCpu.view(-1);
        for (long start = 0; start < count; start += perChunk)
        {
            using var part = flat.narrow(0, start, Math.Min(perChunk, count - start));
            action(part.bytes);
        }
    }
}
