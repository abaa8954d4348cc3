using TsdSr.Models.Autoencoders.Tiling;
using TsdSr.Models.Autoencoders;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Models.Autoencoders.Tiling;

/// <summary>
/// Tiled VAE encode/decode on the tiny VAE of tsdsr_pipeline_tiny at sizes that force several tiles at every level:
/// the result must equal the untiled VAE up to float summation order (exact GroupNorm statistics, exact halos), so no
/// seams can exist.
/// </summary>
public class TiledVaeTests(ITestOutputHelper output)
{
    // Exact global statistics and exact halos leave only fp32 summation-order differences (~1e-6 relative).
    private const double Tolerance = 1e-4;

    private static AutoencoderKL LoadVae() => AutoencoderKL.FromPretrained(FixturePaths.Get("tsdsr_pipeline_tiny", "vae"));

    [Fact]
    public void Tiled_encode_equals_the_untiled_encoder()
    {
        using var vae = LoadVae();
        using var noGrad = no_grad();
        manual_seed(11);
        using var images = rand(1, 3, 72, 104).mul(2).sub(1);
        using var posterior = vae.Encode(images);
        using var tiled = vae.TiledEncodeMoments(images, tileSize: 24);

        var error = TensorAssert.MaxAbsDiff(tiled, posterior.Parameters);
        output.WriteLine($"tiled encode max|Δ| = {error:E2} (moments up to {posterior.Parameters.abs().max().item<float>():F2})");
        error.Should().BeLessThanOrEqualTo(Tolerance);
    }

    [Fact]
    public void Tiled_decode_equals_the_untiled_decoder_without_seams()
    {
        using var vae = LoadVae();
        using var noGrad = no_grad();
        manual_seed(12);
        using var latents = randn(1, 16, 10, 14);
        using var whole = vae.Decode(latents);
        using var tiled = vae.TiledDecode(latents, latentTileSize: 4, storeDevice: CPU);

        var error = TensorAssert.MaxAbsDiff(tiled, whole);

        // A seam is error concentrated where tiles meet: at every level the tile borders fall on multiples of 32
        // output pixels here (4 latent px × 8). Summation-order error is spread evenly, so the pixels on either side of
        // a border (10 % of the image) must be no worse than twice the worst pixel elsewhere. Measured: 3.9e-6 on the
        // borders, 4.8e-6 elsewhere.
        using var perPixel = (tiled - whole).abs().amax([0, 1]);
        using var border = zeros(perPixel.shape, dtype: ScalarType.Bool);
        foreach (long r in new long[] { 31, 32, 63, 64 })
        {
            border[r] = tensor(true);
        }

        foreach (long c in new long[] { 31, 32, 63, 64, 95, 96 })
        {
            border[TensorIndex.Colon, c] = tensor(true);
        }

        double onBorders = perPixel.masked_select(border).max().item<float>();
        double elsewhere = perPixel.masked_select(border.logical_not()).max().item<float>();
        output.WriteLine($"tiled decode max|Δ| = {error:E2}: {onBorders:E2} on tile borders, {elsewhere:E2} elsewhere (image up to {whole.abs().max().item<float>():F2})");
        error.Should().BeLessThanOrEqualTo(Tolerance);
        onBorders.Should().BeLessThanOrEqualTo(2 * elsewhere, "tiles must meet without seams");
    }

    [Fact]
    public void Tiled_vae_with_the_encoder_lora_equals_the_untiled_one_and_leaves_no_live_tensors()
    {
        using var vae = LoadVae();
        TsdSr.Models.Lora.LoraFile.Load(vae, FixturePaths.Get("tsdsr_pipeline_tiny", "lora", "vae.safetensors"), "default");
        using var noGrad = no_grad();
        manual_seed(13);
        using var images = rand(1, 3, 40, 56).mul(2).sub(1);
        using var posterior = vae.Encode(images);
        using var tiled = vae.TiledEncodeMoments(images, tileSize: 16);
        TensorAssert.MaxAbsDiff(tiled, posterior.Parameters).Should().BeLessThanOrEqualTo(Tolerance);

        LeakCheck.NoLiveTensorsAfter(() =>
        {
            using var m = vae.TiledEncodeMoments(images, tileSize: 16);
        }, iterations: 1);
    }

    [Fact]
    public void Spilling_every_map_to_disk_gives_the_in_memory_result_bit_for_bit_and_leaves_no_files()
    {
        using var vae = LoadVae();
        using var noGrad = no_grad();
        var folder = Directory.CreateTempSubdirectory("tsdsr-vae-spill-").FullName;
        try
        {
            var spill = new FeatureMapStorage { MaxInMemoryBytes = 0, SpillDirectory = folder };
            manual_seed(14);
            using var images = rand(1, 3, 40, 56).mul(2).sub(1);
            using var inMemory = vae.TiledEncodeMoments(images, tileSize: 16, storage: FeatureMapStorage.InMemory);
            using var spilled = vae.TiledEncodeMoments(images, tileSize: 16, storage: spill);
            spilled.equal(inMemory).all().item<bool>().Should().BeTrue("a spilled map holds the same bytes and feeds the same kernels");

            using var latents = randn(1, 16, 10, 14);
            using var decoded = vae.TiledDecode(latents, 4, storage: FeatureMapStorage.InMemory);
            using var decodedSpilled = vae.TiledDecode(latents, 4, storage: spill);
            decodedSpilled.equal(decoded).all().item<bool>().Should().BeTrue();
            Directory.EnumerateFileSystemEntries(folder).Should().BeEmpty();

            LeakCheck.NoLiveTensorsAfter(() =>
            {
                using var d = vae.TiledDecode(latents, 4, storage: spill);
            }, iterations: 1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_cancelled_spilling_run_releases_its_maps_and_files()
    {
        using var vae = LoadVae();
        using var noGrad = no_grad();
        var folder = Directory.CreateTempSubdirectory("tsdsr-vae-spill-").FullName;
        try
        {
            using var latents = randn(1, 16, 6, 6);
            LeakCheck.NoLiveTensorsAfter(() =>
            {
                using var cts = new CancellationTokenSource();
                var act = () => vae.TiledDecode(latents, 2, null, (done, _) =>
                {
                    if (done == 5)
                    {
                        cts.Cancel();
                    }
                }, cts.Token, new FeatureMapStorage { MaxInMemoryBytes = 0, SpillDirectory = folder });
                act.Should().Throw<OperationCanceledException>();
            }, iterations: 1);
            Directory.EnumerateFileSystemEntries(folder).Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Cancellation_stops_between_tiles()
    {
        using var vae = LoadVae();
        using var noGrad = no_grad();
        using var latents = randn(1, 16, 6, 6);
        using var cts = new CancellationTokenSource();
        int reports = 0;
        var act = () => vae.TiledDecode(latents, 2, null, (done, total) =>
        {
            if (++reports == 3)
            {
                cts.Cancel();
            }
        }, cts.Token);
        act.Should().Throw<OperationCanceledException>();
        reports.Should().Be(3);
    }
}
