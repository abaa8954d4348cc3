using TorchSharp;
using TsdSr.Data.Random;

namespace TsdSr.Data.Degradation.Operators;

/// <summary>
/// Additive Gaussian and Poisson noise as Real-ESRGAN adds it (BasicSR <c>random_add_*_noise_pt</c>), with every
/// sample's field drawn from its own <see cref="CounterRng"/> key, then clipping to [0, 1] (no rounding).
/// </summary>
public static class NoiseOps
{
    /// <summary>torchvision <c>rgb_to_grayscale</c> weights.</summary>
    public static readonly float[] GrayWeights = [0.2989f, 0.587f, 0.114f];

    /// <summary>
    /// img + N(0, σ²): colour noise draws each channel independently; grey noise draws one H×W field and adds it to all
    /// three channels. <paramref name="sigmas"/> are in [0, 1] units. Returns a new tensor clipped to [0, 1].
    /// </summary>
    public static torch.Tensor AddGaussian(torch.Tensor image, IReadOnlyList<double> sigmas, IReadOnlyList<bool> gray, IReadOnlyList<ulong> keys)
    {
        var (b, c, h, w) = Check(image, sigmas, gray, keys);
        using var scope = torch.NewDisposeScope();
        int plane = checked((int)(h * w));
        var noise = new float[checked(b * c * plane)];
        for (int i = 0; i < b; i++)
        {
            var field = new float[gray[i] ? plane : c * plane];
            NoiseFields.FillStandardNormal(keys[i], field);
            float s = (float)sigmas[i];
            for (int ch = 0; ch < c; ch++)
            {
                int src = gray[i] ? 0 : ch * plane;
                int dst = ((i * c) + ch) * plane;
                for (int p = 0; p < plane; p++)
                {
                    noise[dst + p] = field[src + p] * s;
                }
            }
        }

        var result = image + torch.tensor(noise, image.shape).to(image.dtype);
        return result.clamp_(0f, 1f).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Poisson (shot) noise: the image (or its grey version) is rounded to 8-bit levels, v = 2^ceil(log2(number of
    /// distinct levels)), noise = Poisson(img·v)/v − img, scaled per sample and added to the unrounded image.
    /// Returns a new tensor clipped to [0, 1].
    /// </summary>
    public static torch.Tensor AddPoisson(torch.Tensor image, IReadOnlyList<double> scales, IReadOnlyList<bool> gray, IReadOnlyList<ulong> keys)
    {
        var (b, c, _, _) = Check(image, scales, gray, keys);
        using var scope = torch.NewDisposeScope();
        var outputs = new torch.Tensor[b];
        using var weights = torch.tensor(GrayWeights).view(1, 3, 1, 1);
        for (int i = 0; i < b; i++)
        {
            var img = image[i].unsqueeze(0);
            var source = gray[i] ? (img * weights.to(image.dtype)).sum(1, keepdim: true) : img;
            var levels = source.mul(255f).round().clamp(0f, 255f);
            double v = LevelCount(levels);
            var quantised = levels / 255f;
            var lambda = (quantised * (float)v).to(torch.ScalarType.Float32).contiguous();
            var lambdaData = lambda.data<float>().ToArray();
            var draws = new float[lambdaData.Length];
            NoiseFields.FillPoisson(keys[i], lambdaData, draws);
            var noise = (torch.tensor(draws, lambda.shape).to(image.dtype) / (float)v) - quantised;
            if (gray[i])
            {
                noise = noise.expand(1, c, image.shape[2], image.shape[3]);
            }

            outputs[i] = img + (noise * scales[i]);
        }

        return torch.cat(outputs, 0).clamp_(0f, 1f).MoveToOuterDisposeScope();
    }

    /// <summary>2^ceil(log2(number of distinct 8-bit levels)), Real-ESRGAN's intensity-to-count factor.</summary>
    internal static double LevelCount(torch.Tensor levels)
    {
        using var bytes = levels.to(torch.ScalarType.Byte).contiguous();
        var seen = new bool[256];
        int distinct = 0;
        foreach (var v in bytes.data<byte>())
        {
            if (!seen[v])
            {
                seen[v] = true;
                distinct++;
            }
        }

        return Math.Pow(2, Math.Ceiling(Math.Log2(Math.Max(1, distinct))));
    }

    private static (int B, int C, long H, long W) Check<T>(torch.Tensor image, IReadOnlyList<T> amounts, IReadOnlyList<bool> gray, IReadOnlyList<ulong> keys)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(amounts);
        ArgumentNullException.ThrowIfNull(gray);
        ArgumentNullException.ThrowIfNull(keys);
        if (image.dim() != 4 || image.shape[1] != 3)
        {
            throw new ArgumentException($"Expected an RGB batch [B,3,H,W], got [{string.Join(",", image.shape)}].", nameof(image));
        }

        int b = (int)image.shape[0];
        if (amounts.Count != b || gray.Count != b || keys.Count != b)
        {
            throw new ArgumentException($"Per-sample lists must have {b} entries (got {amounts.Count}, {gray.Count}, {keys.Count}).");
        }

        return (b, 3, image.shape[2], image.shape[3]);
    }
}
