using TsdSr.Evaluation.Color;
using TsdSr.Evaluation.FullReference;
using TsdSr.Imaging;
using Xunit.Abstractions;

namespace TsdSr.Tests.Evaluation.FullReference;

public class PsnrTests(ITestOutputHelper output)
{
    /// <summary>
    /// The realsr_subset README's bar. Measured: max 3.7e-6 dB over the 20 pairs (the README's own recomputation:
    /// 3.7e-6 dB, 7.8e-6 dB over all 193 RealSR + DRealSR pairs).
    /// </summary>
    internal const double PyiqaToleranceDb = 1e-4;

    [Theory]
    [MemberData(nameof(EvaluationData.ImageNames), MemberType = typeof(EvaluationData))]
    public void Matches_pyiqa_ycbcr_psnr_of_each_realsr_pair_within_1e_4_db(string name)
    {
        using var psnr = new Psnr();
        double value = psnr.Compute(EvaluationData.Sr(name), EvaluationData.Hr(name));
        double err = Math.Abs(value - EvaluationData.Expected(name, "psnr"));
        output.WriteLine($"PSNR {name}: |error| {err:E3} dB");
        err.Should().BeLessThan(PyiqaToleranceDb);
    }

    [Fact]
    public void Identical_images_hit_the_eps_ceiling_of_80_db()
    {
        var img = new RgbImage(4, 4, Enumerable.Range(0, 48).Select(i => (byte)(i * 5)).ToArray());
        using var psnr = new Psnr(ColorSpace.Rgb);
        psnr.Compute(img, img).Should().BeApproximately(80, 1e-4);
    }

    [Fact]
    public void Rgb_psnr_of_a_uniform_one_level_offset_follows_the_eps_formula()
    {
        var a = new RgbImage(3, 2, Enumerable.Repeat((byte)100, 18).ToArray());
        var b = new RgbImage(3, 2, Enumerable.Repeat((byte)101, 18).ToArray());
        using var psnr = new Psnr(ColorSpace.Rgb);
        double mse = 1.0 / (255.0 * 255.0);
        psnr.Compute(a, b).Should().BeApproximately(10 * Math.Log10(1 / (mse + 1e-8)), 1e-4);
    }

    [Fact]
    public void Border_crop_ignores_differences_in_the_border()
    {
        var px = Enumerable.Repeat((byte)50, 6 * 6 * 3).ToArray();
        var a = new RgbImage(6, 6, px);
        var changed = (byte[])px.Clone();
        changed[0] = 200;
        var b = new RgbImage(6, 6, changed);
        using var cropped = new Psnr(ColorSpace.YCbCr, cropBorder: 1);
        using var full = new Psnr(ColorSpace.YCbCr);
        cropped.Compute(a, b).Should().BeApproximately(80, 1e-4);
        full.Compute(a, b).Should().BeLessThan(60);
    }

    [Fact]
    public void Different_sizes_are_rejected_with_both_sizes_in_the_message()
    {
        using var psnr = new Psnr();
        var act = () => psnr.Compute(new RgbImage(2, 2, new byte[12]), new RgbImage(3, 2, new byte[18]));
        act.Should().Throw<ArgumentException>().WithMessage("*2x2*3x2*");
    }
}
