using TsdSr.Inference.Tiling;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Inference.Tiling;

public class LatentTilingTests
{
    private static (int Tile, int Overlap, int H, int W) Settings(PipelineFixture f)
    {
        var c = f.Case.RootElement;
        var t = c.GetProperty("tiling");
        var hw = c.GetProperty("latent_hw");
        return (t.GetProperty("tile").GetInt32(), t.GetProperty("overlap").GetInt32(), hw[0].GetInt32(), hw[1].GetInt32());
    }

    [Theory]
    [InlineData("case_b_tiled")]
    [InlineData("case_c_small_resize")]
    public void Tile_offsets_follow_the_reference_call_order(string caseName)
    {
        using var f = new PipelineFixture(caseName);
        var (tile, overlap, h, w) = Settings(f);
        var plan = LatentTileGrid.Create(h, w, tile, overlap);

        plan.IsTiled.Should().BeTrue();
        var expected = f.Tensors["tile_offsets"].data<long>().ToArray();
        plan.Tiles.SelectMany(t => new long[] { t.Y, t.X }).Should().Equal(expected);
    }

    [Fact]
    public void A_latent_within_the_tile_area_is_one_untiled_pass()
    {
        var plan = LatentTileGrid.Create(64, 64, 64, 8);
        plan.IsTiled.Should().BeFalse();
        plan.Tiles.Should().Equal(new LatentTile(0, 0, 64, 64));
        LatentTileGrid.Create(32, 100, 64, 8).IsTiled.Should().BeFalse("non-square latents up to the tile area run whole");
    }

    [Theory]
    [InlineData("case_b_tiled")]
    [InlineData("case_c_small_resize")]
    public void Gaussian_weights_match_the_reference_float64_table(string caseName)
    {
        using var f = new PipelineFixture(caseName);
        var expected = f.Tensors["tile_weights"];
        using var actual = GaussianTileWeights.Create((int)expected.shape[0]);
        actual.dtype.Should().Be(ScalarType.Float64);
        // numpy's and .NET's exp may differ in the last ulps.
        using var rel = (actual - expected).abs().div(expected.abs());
        rel.max().item<double>().Should().BeLessThanOrEqualTo(1e-15);
    }

    [Fact]
    public void Blending_a_constant_velocity_returns_it_and_stops_when_cancelled()
    {
        using var latent = zeros(1, 2, 20, 30);
        var plan = LatentTileGrid.Create(20, 30, 12, 4);
        int calls = 0;
        using var v = LatentTileBlender.Run(latent, plan, x => { calls++; return full_like(x, 1.5f); }, batchSize: 2);
        calls.Should().Be((plan.Tiles.Count + 1) / 2);
        (v - 1.5f).abs().max().item<float>().Should().BeLessThan(1e-6f);

        using var cts = new CancellationTokenSource();
        var act = () => LatentTileBlender.Run(latent, plan, x => { cts.Cancel(); return zeros_like(x); }, cancellationToken: cts.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Blending_leaves_no_live_tensors()
    {
        using var latent = randn(1, 2, 20, 30);
        var plan = LatentTileGrid.Create(20, 30, 12, 4);
        LeakCheck.NoLiveTensorsAfter(() =>
        {
            using var v = LatentTileBlender.Run(latent, plan, x => x.mul(2));
        });
    }
}
