using TsdSr.Imaging;
using TsdSr.Imaging.Resampling;
using TsdSr.Inference;
using TsdSr.Inference.ColorFix;
using TsdSr.Inference.Pipeline;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Inference.Pipeline;

/// <summary>Cancellation, alpha, seeds, the tensor entry point and progress on a small crop of a fixture input.</summary>
public sealed class TsdSrPipelineBehaviourTests : IDisposable
{
    private readonly TsdSrPipeline pipeline = PipelineFixture.LoadPipeline(mergeLora: false);

    // A 24×16 crop: processed at 128×... after the minimum-size rule would be large; ProcessSize 0 keeps it 96×64.
    private static readonly UpscaleSettings Small = new() { ProcessSize = 0, ColorFix = ColorFixMode.None };

    public void Dispose() => pipeline.Dispose();

    private static RgbImage Crop(int width, int height, bool alpha = false)
    {
        using var f = new PipelineFixture("case_a_untiled");
        var input = f.Input;
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            Array.Copy(input.Pixels, y * input.Width * 3, pixels, y * width * 3, width * 3);
        }

        var a = alpha ? Enumerable.Range(0, width * height).Select(i => (byte)(i * 7 % 256)).ToArray() : null;
        return new RgbImage(width, height, pixels, a);
    }

    [Fact]
    public void Cancelling_during_the_transformer_stage_throws_and_leaves_no_live_tensors()
    {
        var image = Crop(24, 16);
        var settings = Small with { LatentTileSize = 8, LatentTileOverlap = 2 };
        LeakCheck.NoLiveTensorsAfter(() =>
        {
            using var cts = new CancellationTokenSource();
            var progress = new SyncProgress(p =>
            {
                if (p.Stage == TsdSrStage.Transformer && p.Current == 1)
                {
                    cts.Cancel();
                }
            });
            var act = () => pipeline.Upscale(image, settings, progress, cts.Token);
            act.Should().Throw<OperationCanceledException>();
        }, iterations: 1);
    }

    [Fact]
    public void An_upscale_leaves_no_live_tensors_and_reports_every_stage_in_order()
    {
        var image = Crop(24, 16);
        var stages = new List<TsdSrStage>();
        LeakCheck.NoLiveTensorsAfter(() =>
        {
            stages.Clear();
            pipeline.Upscale(image, Small with { VaeTiling = VaeTilingMode.On, VaeEncoderTileSize = 64, VaeDecoderTileSize = 8 }, new SyncProgress(p => stages.Add(p.Stage)));
        }, iterations: 1);

        stages.Distinct().Should().Equal(TsdSrStage.Preprocessing, TsdSrStage.Encoding, TsdSrStage.Transformer, TsdSrStage.Decoding, TsdSrStage.ColorFix, TsdSrStage.Done);
    }

    [Fact]
    public void Alpha_is_pillow_resized_to_the_output_and_carried_through()
    {
        var image = Crop(24, 16, alpha: true);

        var result = pipeline.Upscale(image, Small with { ColorFix = ColorFixMode.Wavelet });

        result.Width.Should().Be(96);
        result.Height.Should().Be(64);
        result.Alpha.Should().Equal(PillowResize.Bicubic(image, 96, 64).Alpha);
    }

    [Fact]
    public void A_seed_gives_a_reproducible_sample_that_differs_from_the_mean()
    {
        var image = Crop(24, 16);

        var a = pipeline.Upscale(image, Small with { Seed = 5 });
        var b = pipeline.Upscale(image, Small with { Seed = 5 });
        var mean = pipeline.Upscale(image, Small);

        a.Pixels.Should().Equal(b.Pixels);
        a.Pixels.Should().NotEqual(mean.Pixels);
    }

    [Fact]
    public void The_tensor_entry_point_equals_the_image_entry_point()
    {
        var image = Crop(24, 16);
        using var input = ImageTensors.ToTensor(image);

        using var result = pipeline.UpscaleTensor(input, Small with { ColorFix = ColorFixMode.AdaIn });

        result.shape.Should().Equal(1, 3, 64, 96);
        ImageTensors.FromTensor(result).Pixels.Should().Equal(pipeline.Upscale(image, Small with { ColorFix = ColorFixMode.AdaIn }).Pixels);
    }

    [Fact]
    public void Auto_vae_tiling_below_one_tile_is_the_plain_vae_bit_for_bit()
    {
        var image = Crop(24, 16);
        var auto = pipeline.Upscale(image, Small with { VaeTiling = VaeTilingMode.Auto });
        var off = pipeline.Upscale(image, Small with { VaeTiling = VaeTilingMode.Off });
        auto.Pixels.Should().Equal(off.Pixels);
    }

    [Fact]
    public void Spilled_vae_maps_give_the_in_memory_result_and_a_missing_spill_folder_is_named()
    {
        var image = Crop(24, 16);
        var tiled = Small with { VaeTiling = VaeTilingMode.On, VaeEncoderTileSize = 64, VaeDecoderTileSize = 8 };
        var inMemory = pipeline.Upscale(image, tiled with { VaeMaxInMemoryMapBytes = long.MaxValue });
        var spilled = pipeline.Upscale(image, tiled with { VaeMaxInMemoryMapBytes = 0, VaeSpillDirectory = Path.GetTempPath() });
        spilled.Pixels.Should().Equal(inMemory.Pixels);

        var missing = Path.Combine(Path.GetTempPath(), "tsdsr-missing-spill-folder");
        var act = () => pipeline.Upscale(image, tiled with { VaeMaxInMemoryMapBytes = 0, VaeSpillDirectory = missing });
        act.Should().Throw<DirectoryNotFoundException>().WithMessage($"The VAE spill folder '{missing}' does not exist*");
    }

    [Fact]
    public void Invalid_settings_are_rejected()
    {
        var act = () => pipeline.Upscale(Crop(24, 16), Small with { LatentTileBatchSize = 0 });
        act.Should().Throw<ArgumentException>().WithMessage("*LatentTileBatchSize*");
    }

    private sealed class SyncProgress(Action<TsdSrProgress> report) : IProgress<TsdSrProgress>
    {
        public void Report(TsdSrProgress value) => report(value);
    }
}
