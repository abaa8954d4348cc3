using TsdSr.Evaluation.Fid;
using TsdSr.Imaging;

namespace TsdSr.Tests.Evaluation.Fid;

public class CleanResizeTests
{
    [Theory]
    [InlineData(512, 512)]
    [InlineData(128, 96)]
    public void A_constant_plane_stays_constant_at_any_scale(int w, int h)
    {
        var src = Enumerable.Repeat(77.25f, w * h).ToArray();
        var dst = CleanResize.Resize(src, w, h, 299, 299);
        dst.Should().HaveCount(299 * 299);
        dst.Should().OnlyContain(v => Math.Abs(v - 77.25f) < 1e-4f);
    }

    [Fact]
    public void Same_size_is_the_identity()
    {
        var src = Enumerable.Range(0, 299 * 299).Select(i => (float)(i % 255)).ToArray();
        CleanResize.Resize(src, 299, 299, 299, 299).Should().Equal(src);
    }

    [Fact]
    public void Network_input_is_centred_on_128_and_scaled_by_128_per_channel()
    {
        var px = new byte[8 * 8 * 3];
        for (int i = 0; i < 64; i++)
        {
            px[3 * i] = 128;
            px[(3 * i) + 1] = 255;
            px[(3 * i) + 2] = 0;
        }

        var x = CleanResize.Prepare(new RgbImage(8, 8, px));
        const int n = 299 * 299;
        x.Take(n).Should().OnlyContain(v => Math.Abs(v) < 1e-6f);
        x.Skip(n).Take(n).Should().OnlyContain(v => Math.Abs(v - (127f / 128f)) < 1e-5f);
        x.Skip(2 * n).Should().OnlyContain(v => Math.Abs(v + 1f) < 1e-5f);
    }
}
