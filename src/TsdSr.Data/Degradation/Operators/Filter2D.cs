using TorchSharp;
using TsdSr.Data.Degradation.Kernels;

namespace TsdSr.Data.Degradation.Operators;

/// <summary>Per-sample 2-D filtering (BasicSR <c>filter2D</c>): reflect padding by k/2, then a grouped correlation.</summary>
public static class Filter2D
{
    /// <summary>
    /// Kernel tensor [B, K, K] (float32) for the given kernels, each zero-padded to the largest size among them.
    /// Zero taps do not change the result, so padding to the batch maximum rather than 21 only saves work.
    /// </summary>
    public static torch.Tensor KernelTensor(IReadOnlyList<KernelParameters> kernels)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        if (kernels.Count == 0)
        {
            throw new ArgumentException("At least one kernel is needed.", nameof(kernels));
        }

        int size = kernels.Max(k => k.Size);
        var data = new float[kernels.Count * size * size];
        for (int b = 0; b < kernels.Count; b++)
        {
            var k = kernels[b].Build(size);
            for (int i = 0; i < k.Length; i++)
            {
                data[(b * size * size) + i] = (float)k[i];
            }
        }

        return torch.tensor(data, new long[] { kernels.Count, size, size });
    }

    /// <summary>
    /// Filters <paramref name="image"/> [B, C, H, W] with <paramref name="kernels"/> [B, k, k] (or [1, k, k] for all
    /// samples), k odd. Padding is 'reflect'; for images not larger than k/2 it falls back to 'replicate', which
    /// PyTorch's reflect padding cannot do. Returns a new tensor.
    /// </summary>
    public static torch.Tensor Apply(torch.Tensor image, torch.Tensor kernels)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(kernels);
        if (image.dim() != 4 || kernels.dim() != 3 || kernels.shape[1] != kernels.shape[2] || kernels.shape[1] % 2 == 0)
        {
            throw new ArgumentException($"Expected image [B,C,H,W] and odd square kernels [B,k,k]; got [{string.Join(",", image.shape)}] and [{string.Join(",", kernels.shape)}].");
        }

        long b = image.shape[0], c = image.shape[1], h = image.shape[2], w = image.shape[3], k = kernels.shape[1];
        if (kernels.shape[0] != b && kernels.shape[0] != 1)
        {
            throw new ArgumentException($"{kernels.shape[0]} kernels for a batch of {b}.", nameof(kernels));
        }

        using var scope = torch.NewDisposeScope();
        long pad = k / 2;
        var mode = pad < h && pad < w ? PaddingModes.Reflect : PaddingModes.Replicate;
        var padded = pad == 0 ? image : torch.nn.functional.pad(image, new[] { pad, pad, pad, pad }, mode);
        var weight = kernels.to(image.dtype).view(kernels.shape[0], 1, 1, k, k).expand(b, c, 1, k, k).reshape(b * c, 1, k, k);
        var flat = padded.reshape(1, b * c, h + (2 * pad), w + (2 * pad));
        var result = torch.nn.functional.conv2d(flat, weight, groups: b * c).view(b, c, h, w);
        return result.MoveToOuterDisposeScope();
    }
}
