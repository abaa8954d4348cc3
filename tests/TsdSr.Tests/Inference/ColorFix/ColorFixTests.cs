using TsdSr.Imaging;
using TsdSr.Inference.ColorFix;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Inference.ColorFix;

/// <summary>
/// The colour fixes fed with the reference's own 8-bit inputs (output_nofix as target; lr_scale.png or the input as
/// source): floats agree to ~1e-6 and only a handful of truncations may flip (fixture README, Tolerances).
/// </summary>
public class ColorFixTests
{
    private static (double FloatDiff, int Flipped, int MaxFlip, int Total) Run(string caseName, ColorFixMode mode)
    {
        using var f = new PipelineFixture(caseName);
        using var target = ImageTensors.ToTensor(ImageCodec.Load(f.OutputPath("nofix")));
        var sourceImage = mode == ColorFixMode.Wavelet ? ImageCodec.Load(Path.Combine(f.Dir, "lr_scale.png")) : f.Input;
        using var source = ImageTensors.ToTensor(sourceImage);
        using var fixedImage = mode == ColorFixMode.Wavelet ? WaveletColorFix.Apply(target, source) : AdaInColorFix.Apply(target, source);

        var floatDiff = f.MaxViewDiff(mode == ColorFixMode.Wavelet ? "float_wavelet" : "float_adain", fixedImage);
        var actual = ImageTensors.FromTensor(fixedImage, ByteConversion.Truncate).Pixels;
        var expected = ImageCodec.Load(f.OutputPath(mode == ColorFixMode.Wavelet ? "wavelet" : "adain")).Pixels;
        int flipped = 0, maxFlip = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            int d = Math.Abs(actual[i] - expected[i]);
            flipped += d > 0 ? 1 : 0;
            maxFlip = Math.Max(maxFlip, d);
        }

        return (floatDiff, flipped, maxFlip, actual.Length);
    }

    [Theory]
    [MemberData(nameof(PipelineFixture.AllCases), MemberType = typeof(PipelineFixture))]
    public void Wavelet_fix_matches_the_reference(string caseName)
    {
        var r = Run(caseName, ColorFixMode.Wavelet);
        r.FloatDiff.Should().BeLessThanOrEqualTo(1e-5);
        r.MaxFlip.Should().BeLessThanOrEqualTo(1);
        ((double)r.Flipped / r.Total).Should().BeLessThanOrEqualTo(1e-4, "the reference's float64 rerun flips at most 13 of 1.2M values");
    }

    [Theory]
    [MemberData(nameof(PipelineFixture.AllCases), MemberType = typeof(PipelineFixture))]
    public void AdaIn_fix_matches_the_reference(string caseName)
    {
        var r = Run(caseName, ColorFixMode.AdaIn);
        r.FloatDiff.Should().BeLessThanOrEqualTo(1e-5);
        r.MaxFlip.Should().BeLessThanOrEqualTo(1);
        ((double)r.Flipped / r.Total).Should().BeLessThanOrEqualTo(1e-4);
    }

    [Fact]
    public void Wavelet_fix_rejects_mismatched_sizes()
    {
        using var a = zeros(1, 3, 8, 8);
        using var b = zeros(1, 3, 8, 9);
        ((Action)(() => WaveletColorFix.Apply(a, b))).Should().Throw<ArgumentException>();
    }
}
