using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.Hosting;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Inference.Hosting;

/// <summary>The real pipeline through AddTsdSr on fixtures/tsdsr_pipeline_tiny (case c: small input, final resize).</summary>
public sealed class TsdSrUpscalerIntegrationTests : IDisposable
{
    private readonly HostingTestFolders folders = new();

    public void Dispose() => folders.Dispose();

    [Fact]
    public async Task Upscaler_from_AddTsdSr_reproduces_the_reference_png_of_the_tiny_fixture()
    {
        using var f = new PipelineFixture("case_c_small_resize");
        var root = FixturePaths.Get("tsdsr_pipeline_tiny");
        var (tile, overlap) = f.Tiling;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddTsdSr(o =>
        {
            o.ModelDirectory = root;
            o.LoraDirectory = Path.Combine(root, "lora");
            o.EmbeddingsDirectory = Path.Combine(root, "embeddings");
            o.Device = "cpu";
            o.LatentTileSize = tile;
            o.LatentTileOverlap = overlap;
            o.VaeTiling = VaeTilingMode.Off;
        });
        using var host = builder.Build();
        await host.StartAsync();
        var upscaler = host.Services.GetRequiredService<TsdSrUpscaler>();
        var progress = new SyncProgress();

        var result = await upscaler.UpscaleAsync(f.InputPath, folders.Root + Path.DirectorySeparatorChar, progress: progress);

        upscaler.Device.Should().Be("cpu");
        result.OutputPath.Should().Be(Path.Combine(folders.Root, Path.GetFileName(f.InputPath)));
        var expected = ImageCodec.Load(f.OutputPath("wavelet"));
        var actual = ImageCodec.Load(result.OutputPath!);
        (actual.Width, actual.Height).Should().Be((expected.Width, expected.Height));
        var (count, max, total) = PipelineFixture.PixelDiff(actual.Pixels, expected.Pixels);
        max.Should().BeLessThanOrEqualTo(1);
        ((double)count / total).Should().BeLessThanOrEqualTo(0.005);
        progress.Items.Select(p => p.Stage).Should().Contain([TsdSrStage.Loading, TsdSrStage.Transformer, TsdSrStage.Done]);
        progress.Items.Where(p => p.Stage == TsdSrStage.Transformer).Should().OnlyContain(p => p.ImageName == Path.GetFileName(f.InputPath));
        await host.StopAsync();
    }

    [Theory]
    [InlineData(TsdSrDtype.Fp32, ScalarType.Float32)]
    [InlineData(TsdSrDtype.Bf16, ScalarType.BFloat16)]
    [InlineData(TsdSrDtype.Fp16, ScalarType.Float16)]
    public void Dtype_names_map_to_torch_dtypes(TsdSrDtype dtype, ScalarType expected)
    {
        TsdSrPipelineFactory.ToScalarType(dtype).Should().Be(expected);
    }
}
