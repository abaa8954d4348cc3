using TorchSharp;

namespace TsdSr.Models.Autoencoders.Tiling;

/// <summary>
/// Per-channel mean and centred sum of squares of everything written to a feature map, accumulated tile by tile in
/// float64 and merged with Chan's parallel formula. The statistics are exact (no E[x²] − E[x]² cancellation) and need no
/// second pass over the stored map, which matters when the map lives on disk.
/// </summary>
internal sealed class ChannelMoments
{
    // Rows of a tile are reduced in bands of about this many elements, so the float64 copy stays small.
    private const long BandElements = 1L << 22;

    private readonly double[] mean;
    private readonly double[] m2;
    private long count;

    public ChannelMoments(long channels)
    {
        mean = new double[channels];
        m2 = new double[channels];
    }

    /// <summary>Elements per channel added so far.</summary>
    public long Count => count;

    /// <summary>Forgets everything (the map is about to be overwritten).</summary>
    public void Reset()
    {
        Array.Clear(mean);
        Array.Clear(m2);
        count = 0;
    }

    /// <summary>Adds a tile [1,C,h,w].</summary>
    public void Add(torch.Tensor tile)
    {
        long c = tile.shape[1], h = tile.shape[2], w = tile.shape[3];
        long band = Math.Max(1, BandElements / Math.Max(1, c * w));
        for (long y = 0; y < h; y += band)
        {
            using var scope = torch.NewDisposeScope();
            long rows = Math.Min(band, h - y);
            var values = tile[0].narrow(1, y, rows).to(torch.ScalarType.Float64).reshape(c, -1);
            var bandMean = values.mean(new long[] { 1 });
            var bandM2 = values.sub(bandMean.unsqueeze(1)).square().sum(1);
            Merge(bandMean.cpu().data<double>().ToArray(), bandM2.cpu().data<double>().ToArray(), rows * w);
        }
    }

    /// <summary>
    /// GroupNorm's per-channel (mean, 1/√(var + eps)) as [1,C,1,1] tensors: each group's biased variance over all its
    /// channels and positions, broadcast back to the group's channels.
    /// </summary>
    public (torch.Tensor Mean, torch.Tensor Rstd) GroupStatistics(long groups, double eps, torch.ScalarType dtype, torch.Device device)
    {
        if (count == 0)
        {
            throw new InvalidOperationException("GroupNorm statistics were requested for a feature map nothing was written to.");
        }

        long c = mean.Length;
        if (c % groups != 0)
        {
            throw new InvalidOperationException($"{c} channels do not split into {groups} GroupNorm groups.");
        }

        long perGroup = c / groups;
        var channelMean = new double[c];
        var channelRstd = new double[c];
        for (long g = 0; g < groups; g++)
        {
            long first = g * perGroup;
            double groupMean = 0;
            for (long i = first; i < first + perGroup; i++)
            {
                groupMean += mean[i];
            }

            groupMean /= perGroup;
            // Equal counts per channel: the group's M2 is the channels' M2 plus their means' spread around the group mean.
            double groupM2 = 0;
            for (long i = first; i < first + perGroup; i++)
            {
                double d = mean[i] - groupMean;
                groupM2 += m2[i] + (count * d * d);
            }

            double rstd = 1.0 / Math.Sqrt((groupM2 / (count * (double)perGroup)) + eps);
            for (long i = first; i < first + perGroup; i++)
            {
                channelMean[i] = groupMean;
                channelRstd[i] = rstd;
            }
        }

        using var meanT = torch.tensor(channelMean, new[] { 1L, c, 1, 1 });
        using var rstdT = torch.tensor(channelRstd, new[] { 1L, c, 1, 1 });
        return (meanT.to(dtype, device), rstdT.to(dtype, device));
    }

    private void Merge(double[] bandMean, double[] bandM2, long bandCount)
    {
        long total = count + bandCount;
        double weight = bandCount / (double)total;
        double cross = count * (double)bandCount / total;
        for (int i = 0; i < mean.Length; i++)
        {
            double delta = bandMean[i] - mean[i];
            mean[i] += delta * weight;
            m2[i] += bandM2[i] + (delta * delta * cross);
        }

        count = total;
    }
}
