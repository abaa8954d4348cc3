using TsdSr.Imaging;
using TsdSr.Imaging.Resampling;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Imaging.Resampling;

/// <summary>Pillow's fixed-point bicubic resize, checked against PNGs that Pillow produced for the reference pipeline.</summary>
public class PillowResizeTests
{
    private static string Case(string name, params string[] parts) =>
        FixturePaths.Get(["tsdsr_pipeline_tiny", name, .. parts]);

    private static string Single(string dir) => Directory.EnumerateFiles(dir, "*.png").Single();

    [Theory]
    [InlineData("case_a_untiled")]
    [InlineData("case_b_tiled")]
    [InlineData("case_c_small_resize")]
    public void Upscaling_x4_matches_pillow_exactly(string name)
    {
        var lr = ImageCodec.Load(Single(Case(name, "input")));
        var expected = ImageCodec.Load(Case(name, "lr_scale.png"));

        var actual = PillowResize.Bicubic(lr, lr.Width * 4, lr.Height * 4);

        (actual.Width, actual.Height).Should().Be((expected.Width, expected.Height));
        actual.Pixels.Should().Equal(expected.Pixels);
    }

    [Fact]
    public void Downscaling_with_antialiasing_matches_pillow_exactly()
    {
        // Case c: the 704x512 model output is resized back to 400x288 (support widened by the 1.76 scale).
        var before = ImageCodec.Load(Case("case_c_small_resize", "nofix_before_resize.png"));
        var expected = ImageCodec.Load(Single(Case("case_c_small_resize", "output_nofix")));

        var actual = PillowResize.Bicubic(before, expected.Width, expected.Height);

        actual.Pixels.Should().Equal(expected.Pixels);
    }

    [Fact]
    public void Same_size_is_a_copy()
    {
        var img = new RgbImage(2, 2, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 });
        var copy = PillowResize.Bicubic(img, 2, 2);
        copy.Pixels.Should().Equal(img.Pixels).And.NotBeSameAs(img.Pixels);
    }

    [Fact]
    public void The_kernel_is_the_a_minus_half_cubic()
    {
        PillowResize.BicubicFilter(0).Should().Be(1);
        PillowResize.BicubicFilter(1).Should().Be(0);
        PillowResize.BicubicFilter(2).Should().Be(0);
        PillowResize.BicubicFilter(0.5).Should().BeApproximately(0.5625, 1e-15);
        PillowResize.BicubicFilter(-1.5).Should().BeApproximately(-0.0625, 1e-15);
    }
}
