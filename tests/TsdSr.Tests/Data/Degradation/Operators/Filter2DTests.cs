using TsdSr.Data.Degradation;
using TsdSr.Data.Degradation.Kernels;
using TsdSr.Data.Degradation.Operators;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Data.Degradation.Operators;

public class Filter2DTests
{
    [Fact]
    public void A_pulse_kernel_is_the_identity()
    {
        using var x = rand(2, 3, 20, 24);
        using var k = Filter2D.KernelTensor([KernelParameters.Pulse(21), KernelParameters.Pulse(7)]);
        k.shape.Should().Equal(2, 21, 21);
        using var y = Filter2D.Apply(x, k);
        TensorAssert.Close(y, x, 1e-7);
    }

    [Fact]
    public void Each_sample_is_correlated_with_its_own_kernel_with_reflect_padding()
    {
        using var x = rand(2, 3, 16, 13);
        var kernels = new[]
        {
            new KernelParameters(KernelType.Anisotropic, 7, 2.0, 0.7, 0.5),
            new KernelParameters(KernelType.PlateauIsotropic, 5, 1.0, 1.0, 0, 1.5),
        };
        using var k = Filter2D.KernelTensor(kernels);
        using var y = Filter2D.Apply(x, k);
        for (int b = 0; b < 2; b++)
        {
            var kern = kernels[b].Build(7);
            using var expected = Naive(x[b], kern, 7);
            TensorAssert.Close(y[b], expected, 1e-5);
        }
    }

    [Fact]
    public void Images_not_larger_than_half_the_kernel_fall_back_to_replicate_padding()
    {
        using var x = rand(1, 3, 6, 6);
        using var k = Filter2D.KernelTensor([new KernelParameters(KernelType.Isotropic, 21, 3, 3)]);
        using var y = Filter2D.Apply(x, k);
        y.shape.Should().Equal(1, 3, 6, 6);
        using var constant = full(1, 3, 6, 6, 0.25f);
        using var yc = Filter2D.Apply(constant, k);
        TensorAssert.Close(yc, constant, 1e-6);
    }

    /// <summary>Direct correlation with PyTorch 'reflect' padding (mirror without repeating the edge).</summary>
    private static Tensor Naive(Tensor image, double[] kernel, int size)
    {
        long c = image.shape[0], h = image.shape[1], w = image.shape[2];
        var src = image.contiguous().data<float>().ToArray();
        var dst = new float[src.Length];
        int r = size / 2;
        for (int ch = 0; ch < c; ch++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    double sum = 0;
                    for (int dy = -r; dy <= r; dy++)
                    {
                        for (int dx = -r; dx <= r; dx++)
                        {
                            long yy = Reflect(y + dy, h), xx = Reflect(x + dx, w);
                            sum += kernel[((dy + r) * size) + dx + r] * src[(ch * h * w) + (yy * w) + xx];
                        }
                    }

                    dst[(ch * h * w) + (y * w) + x] = (float)sum;
                }
            }
        }

        return tensor(dst, new long[] { c, h, w });
    }

    private static long Reflect(long i, long n) => i < 0 ? -i : i >= n ? (2 * (n - 1)) - i : i;
}
