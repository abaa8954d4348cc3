using TsdSr.Data.Degradation;
using TsdSr.Data.Degradation.Operators;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Data.Degradation.Operators;

public class ResizerTests
{
    private static Tensor Ramp(long h, long w) => (arange(2 * 3 * h * w, dtype: float32).reshape(2, 3, h, w) * 0.37f).sin();

    [Fact]
    public void Area_down_sampling_by_an_integer_factor_is_block_averaging()
    {
        using var x = Ramp(12, 18);
        using var actual = Resizer.ToSize(x, 4, 6, ResizeMode.Area);
        using var blocks = x.reshape(2, 3, 4, 3, 6, 3).mean([3, 5]);
        TensorAssert.Close(actual, blocks, 1e-6);
        using var byScale = Resizer.ByScale(x, 1.0 / 3, ResizeMode.Area);
        TensorAssert.Close(byScale, blocks, 1e-6);
    }

    [Fact]
    public void Bilinear_halving_with_half_pixel_centres_averages_2x2_blocks()
    {
        // align_corners = False maps output i to input 2i + 0.5: the mean of inputs 2i and 2i + 1.
        using var x = Ramp(8, 10);
        using var actual = Resizer.ByScale(x, 0.5, ResizeMode.Bilinear);
        using var blocks = x.reshape(2, 3, 4, 2, 5, 2).mean([3, 5]);
        TensorAssert.Close(actual, blocks, 1e-6);
    }

    [Theory]
    [InlineData(ResizeMode.Bilinear, 7, 5, 17, 11)]
    [InlineData(ResizeMode.Bicubic, 7, 5, 17, 11)]
    [InlineData(ResizeMode.Bicubic, 16, 12, 5, 7)]
    public void Interpolation_matches_a_separable_half_pixel_reference(ResizeMode mode, int h, int w, int oh, int ow)
    {
        using var x = Ramp(h, w);
        using var actual = Resizer.ToSize(x, oh, ow, mode);
        using var expected = Reference(x, oh, ow, mode == ResizeMode.Bicubic);
        TensorAssert.Close(actual, expected, 2e-5);
    }

    [Fact]
    public void Scale_factors_give_floor_sizes()
    {
        using var x = Ramp(20, 30);
        foreach (var mode in Enum.GetValues<ResizeMode>())
        {
            using var y = Resizer.ByScale(x, 0.37, mode);
            y.shape.Should().Equal(2, 3, 7, 11);
            using var z = Resizer.ByScale(x, 1.26, mode);
            z.shape.Should().Equal(2, 3, 25, 37);
        }
    }

    /// <summary>
    /// The PyTorch definition, written out per axis: source = (i + 0.5)·in/out − 0.5; bilinear clamps the source at 0
    /// and interpolates linearly; bicubic uses Keys' cubic with a = −0.75 on the four neighbours, indices clamped.
    /// </summary>
    private static Tensor Reference(Tensor x, int oh, int ow, bool cubic)
    {
        var rows = Weights((int)x.shape[2], oh, cubic);
        var cols = Weights((int)x.shape[3], ow, cubic);
        using var r = tensor(rows, new long[] { oh, x.shape[2] }, float64);
        using var c = tensor(cols, new long[] { ow, x.shape[3] }, float64);
        using var x64 = x.to(float64);
        using var tmp = matmul(r, x64);
        return matmul(tmp, c.t()).to(float32);
    }

    private static double[] Weights(int n, int outN, bool cubic)
    {
        var m = new double[outN * n];
        double scale = (double)n / outN;
        for (int i = 0; i < outN; i++)
        {
            double src = ((i + 0.5) * scale) - 0.5;
            if (!cubic)
            {
                src = Math.Max(0, src);
                int i0 = (int)Math.Floor(src);
                int i1 = Math.Min(i0 + 1, n - 1);
                double t = src - i0;
                m[(i * n) + i0] += 1 - t;
                m[(i * n) + i1] += t;
                continue;
            }

            int f = (int)Math.Floor(src);
            double d = src - f;
            for (int k = -1; k <= 2; k++)
            {
                int idx = Math.Clamp(f + k, 0, n - 1);
                m[(i * n) + idx] += Keys(k - d);
            }
        }

        return m;
    }

    private static double Keys(double s)
    {
        const double a = -0.75;
        s = Math.Abs(s);
        return s <= 1 ? ((a + 2) * s * s * s) - ((a + 3) * s * s) + 1
            : s < 2 ? (a * s * s * s) - (5 * a * s * s) + (8 * a * s) - (4 * a)
            : 0;
    }
}
