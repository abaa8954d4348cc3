using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.Pipeline;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Inference.Pipeline;

/// <summary>
/// Reduced precision is opt-in per component (fp32 by default on CPU). With bf16 or fp16 weights the pipeline still runs
/// end to end (tiled VAE included) and stays close to the reference's fp32 output PNG, in both VAE layouts (a bf16 VAE
/// runs channels-last by default on the CPU). Bars: the PSNR this test measured on an AMD EPYC with AVX-512 BF16
/// (case c, wavelet, LoRA merged), less a margin (docs/inference.md, "Reduced precision"): bf16/bf16 34.1 dB in either
/// layout → 30, fp16/fp16 49.9 dB → 40, fp32 transformer / bf16 VAE 34.0 dB in either layout → 30. fp16 keeps 3
/// significand bits more than bf16 (11 against 8), worth up to 18 dB; 15.8 dB were measured.
/// </summary>
public class TsdSrPipelinePrecisionTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Precisions() =>
    [
        [ScalarType.BFloat16, ScalarType.BFloat16, 30.0, false],
        [ScalarType.BFloat16, ScalarType.BFloat16, 30.0, true],
        [ScalarType.Float16, ScalarType.Float16, 40.0, false],
        [ScalarType.Float32, ScalarType.BFloat16, 30.0, false],
        [ScalarType.Float32, ScalarType.BFloat16, 30.0, true],
    ];

    [Theory]
    [MemberData(nameof(Precisions))]
    public void Reduced_precision_runs_end_to_end_close_to_the_fp32_reference(ScalarType transformerDtype, ScalarType vaeDtype, double minPsnr, bool vaeChannelsLast)
    {
        using var f = new PipelineFixture("case_c_small_resize");
        using var pipeline = TsdSrPipeline.Load(PipelineFixture.Paths(), new TsdSrPipelineOptions { Device = "cpu", TransformerDtype = transformerDtype, VaeDtype = vaeDtype, VaeChannelsLast = vaeChannelsLast });
        var (tile, overlap) = f.Tiling;
        double velocityError = double.NaN;
        // VAE tiling on with small tiles, so the tiled path runs in the reduced dtype too.
        var result = pipeline.Upscale(f.Input, new UpscaleSettings { LatentTileSize = tile, LatentTileOverlap = overlap, VaeTiling = VaeTilingMode.On, VaeEncoderTileSize = 64, VaeDecoderTileSize = 8 }, null,
            (name, t) =>
            {
                if (name == TsdSrIntermediates.Velocity)
                {
                    velocityError = TensorAssert.MaxAbsDiff(t, f.Tensors[name]);
                }
            });

        var expected = ImageCodec.Load(f.OutputPath("wavelet"));
        double mse = result.Pixels.Zip(expected.Pixels, (a, b) => (double)(a - b) * (a - b)).Average();
        double psnr = 10 * Math.Log10(255.0 * 255.0 / mse);
        output.WriteLine($"transformer {transformerDtype}, VAE {vaeDtype}{(vaeChannelsLast ? " channels-last" : string.Empty)}: PSNR vs the fp32 reference {psnr:F1} dB, velocity max|Δ| {velocityError:E2}");
        psnr.Should().BeGreaterThanOrEqualTo(minPsnr);
        velocityError.Should().BeGreaterThan(0, "the reduced dtype was really used");
    }
}
