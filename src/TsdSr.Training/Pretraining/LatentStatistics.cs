using static TorchSharp.torch;

namespace TsdSr.Training.Pretraining;

/// <summary>
/// Running mean and variance of latent values (Chan's parallel update in float64), for the <c>scaling_factor</c>
/// (1 / std) and <c>shift_factor</c> (mean) that a trained VAE's config records.
/// </summary>
public sealed class LatentStatistics
{
    private long count;
    private double mean;
    private double m2;

    /// <summary>Values seen.</summary>
    public long Count => count;

    /// <summary>The mean.</summary>
    public double Mean => mean;

    /// <summary>The population standard deviation.</summary>
    public double StandardDeviation => count > 0 ? Math.Sqrt(m2 / count) : double.NaN;

    /// <summary>Adds every element of <paramref name="latents"/>.</summary>
    public void Add(Tensor latents)
    {
        ArgumentNullException.ThrowIfNull(latents);
        using var scope = NewDisposeScope();
        var x = latents.detach().to(ScalarType.Float64);
        long n = x.numel();
        if (n == 0)
        {
            return;
        }

        double batchMean = x.mean().item<double>();
        double batchM2 = x.sub(batchMean).square().sum().item<double>();
        double delta = batchMean - mean;
        long total = count + n;
        mean += delta * n / total;
        m2 += batchM2 + (delta * delta * count * n / total);
        count = total;
    }
}
