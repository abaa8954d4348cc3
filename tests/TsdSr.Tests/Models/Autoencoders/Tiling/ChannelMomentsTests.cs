using TsdSr.Models.Autoencoders.Tiling;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Autoencoders.Tiling;

/// <summary>
/// GroupNorm statistics merged from tiles (Chan's formula, float64) must equal the statistics of the whole map, whatever
/// the tiling: they replace a second pass over maps that may live on disk.
/// </summary>
public class ChannelMomentsTests
{
    [Fact]
    public void Statistics_merged_from_uneven_tiles_equal_the_whole_maps_group_statistics()
    {
        manual_seed(3);
        using var map = randn(1, 8, 13, 11).mul(3).add(5);
        var moments = new ChannelMoments(8);
        foreach (var (y, h, x, w) in new[] { (0L, 5L, 0L, 4L), (0L, 5L, 4L, 7L), (5L, 8L, 0L, 11L) })
        {
            using var tile = map.narrow(2, y, h).narrow(3, x, w);
            moments.Add(tile);
        }

        var (mean, rstd) = moments.GroupStatistics(groups: 2, eps: 1e-6, ScalarType.Float64, CPU);
        using (mean)
        using (rstd)
        {
            using var grouped = map.to(ScalarType.Float64).reshape(2, -1);
            using var expectedMean = grouped.mean(new long[] { 1 }).repeat_interleave(4).reshape(1, 8, 1, 1);
            using var expectedRstd = grouped.var(1, unbiased: false).add(1e-6).rsqrt().repeat_interleave(4).reshape(1, 8, 1, 1);
            TensorAssert.MaxAbsDiff(mean, expectedMean).Should().BeLessThan(1e-12);
            TensorAssert.MaxAbsDiff(rstd, expectedRstd).Should().BeLessThan(1e-12);
        }

        moments.Count.Should().Be(13 * 11);
    }

    [Fact]
    public void Statistics_equal_torchs_group_norm()
    {
        manual_seed(4);
        using var map = randn(1, 32, 9, 10);
        var moments = new ChannelMoments(32);
        moments.Add(map);
        var (mean, rstd) = moments.GroupStatistics(groups: 8, eps: 1e-6, ScalarType.Float32, CPU);
        using (mean)
        using (rstd)
        {
            using var normalised = map.sub(mean).mul(rstd);
            using var expected = nn.functional.group_norm(map, 8, eps: 1e-6);
            TensorAssert.MaxAbsDiff(normalised, expected).Should().BeLessThan(1e-5);
        }
    }

    [Fact]
    public void Reset_forgets_what_was_written_and_empty_or_ungroupable_moments_are_refused()
    {
        var moments = new ChannelMoments(6);
        using var filled = ones(1, 6, 2, 2);
        moments.Add(filled);
        moments.Reset();
        moments.Count.Should().Be(0);

        var empty = () => moments.GroupStatistics(2, 1e-6, ScalarType.Float32, CPU);
        empty.Should().Throw<InvalidOperationException>().WithMessage("*nothing was written*");

        moments.Add(filled);
        var ungroupable = () => moments.GroupStatistics(4, 1e-6, ScalarType.Float32, CPU);
        ungroupable.Should().Throw<InvalidOperationException>().WithMessage("6 channels do not split into 4 GroupNorm groups.");
    }
}
