using TsdSr.Data.Degradation;
using TsdSr.Data.Degradation.Kernels;

namespace TsdSr.Tests.Data.Degradation.Kernels;

public class BlurKernelsTests
{
    public static TheoryData<KernelParameters> AllFamilies()
    {
        var data = new TheoryData<KernelParameters>();
        foreach (int size in new[] { 7, 13, 21 })
        {
            data.Add(new KernelParameters(KernelType.Isotropic, size, 1.3, 1.3));
            data.Add(new KernelParameters(KernelType.Anisotropic, size, 2.5, 0.6, 0.7));
            data.Add(new KernelParameters(KernelType.GeneralizedIsotropic, size, 1.1, 1.1, 0, 0.6));
            data.Add(new KernelParameters(KernelType.GeneralizedAnisotropic, size, 0.4, 2.9, -2.0, 3.5));
            data.Add(new KernelParameters(KernelType.PlateauIsotropic, size, 2.0, 2.0, 0, 1.7));
            data.Add(new KernelParameters(KernelType.PlateauAnisotropic, size, 1.5, 0.3, 1.2, 1.0));
            data.Add(new KernelParameters(KernelType.Sinc, size, Cutoff: Math.PI / 2));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllFamilies))]
    public void Kernels_sum_to_one_have_the_requested_size_and_pad_centred_to_21(KernelParameters p)
    {
        var k = p.Build();
        k.Length.Should().Be(p.Size * p.Size);
        k.Sum().Should().BeApproximately(1, 1e-12);
        var padded = p.Build(21);
        padded.Length.Should().Be(441);
        padded.Sum().Should().BeApproximately(1, 1e-12);
        int off = (21 - p.Size) / 2;
        padded[((off + (p.Size / 2)) * 21) + off + (p.Size / 2)].Should().Be(k[(p.Size * p.Size) / 2], "the centre tap stays in the centre");
        PointSymmetric(k, p.Size).Should().BeTrue("every family satisfies K(v) = K(−v)");
    }

    [Theory]
    [InlineData(KernelType.Isotropic)]
    [InlineData(KernelType.GeneralizedIsotropic)]
    [InlineData(KernelType.PlateauIsotropic)]
    [InlineData(KernelType.Sinc)]
    public void Isotropic_kernels_are_symmetric_under_transpose_and_rotation(KernelType type)
    {
        var p = new KernelParameters(type, 15, 1.7, 1.7, 0, 1.4, Math.PI / 3);
        var k = p.Build();
        MaxDiff(k, Transpose(k, 15)).Should().BeLessThan(1e-15);
        MaxDiff(k, Rotate90(k, 15)).Should().BeLessThan(1e-15);
    }

    [Theory]
    [InlineData(KernelType.Anisotropic)]
    [InlineData(KernelType.GeneralizedAnisotropic)]
    [InlineData(KernelType.PlateauAnisotropic)]
    public void Anisotropic_kernels_rotate_with_theta(KernelType type)
    {
        var p = new KernelParameters(type, 17, 3.0, 0.8, 0.4, 1.5);
        var k = p.Build();
        MaxDiff(k, Transpose(k, 17)).Should().BeGreaterThan(1e-3, "an oriented kernel is not transpose-symmetric");
        var turned = (p with { Theta = p.Theta + (Math.PI / 2) }).Build();
        MaxDiff(Rotate90(k, 17), turned).Should().BeLessThan(1e-12, "rotating the array by 90° equals rotating Σ by 90°");
        var swapped = (p with { SigmaX = p.SigmaY, SigmaY = p.SigmaX, Theta = 0 }).Build();
        MaxDiff(Transpose((p with { Theta = 0 }).Build(), 17), swapped).Should().BeLessThan(1e-12, "transposing swaps σx and σy");
    }

    [Fact]
    public void Gaussian_taps_follow_the_quadratic_form()
    {
        // Axis-aligned, σx = 2, σy = 1: K(x, y) ∝ exp(−x²/8 − y²/2).
        var k = BlurKernels.Gaussian(7, 2, 1, 0);
        double centre = k[24];
        (k[24 + 2] / centre).Should().BeApproximately(Math.Exp(-4.0 / 8), 1e-12);
        (k[24 + 7] / centre).Should().BeApproximately(Math.Exp(-1.0 / 2), 1e-12);
        (k[24 + 7 + 1] / centre).Should().BeApproximately(Math.Exp((-1.0 / 8) - 0.5), 1e-12);
    }

    [Fact]
    public void Plateau_and_generalized_kernels_use_beta()
    {
        var gen = BlurKernels.GeneralizedGaussian(7, 1, 1, 0, 2);
        (gen[24 + 1] / gen[24]).Should().BeApproximately(Math.Exp(-0.5), 1e-12, "q = 1 gives exp(−½·1^β)");
        (gen[24 + 2] / gen[24]).Should().BeApproximately(Math.Exp(-0.5 * 16), 1e-12, "q = 4, β = 2");
        var plateau = BlurKernels.Plateau(7, 1, 1, 0, 2);
        (plateau[24 + 2] / plateau[24]).Should().BeApproximately(1.0 / (1 + 16), 1e-12);
    }

    [Fact]
    public void Bessel_J1_matches_its_series_and_its_first_zero()
    {
        foreach (double x in new[] { 0.01, 0.1, 0.3, 0.5 })
        {
            double series = (x / 2) - (Math.Pow(x, 3) / 16) + (Math.Pow(x, 5) / 384) - (Math.Pow(x, 7) / 18432) + (Math.Pow(x, 9) / 1474560);
            Bessel.J1(x).Should().BeApproximately(series, 1e-11, "the series is truncated after x⁹");
        }

        // First positive zero of J1 (Abramowitz & Stegun table 9.5): 3.8317059702.
        Bessel.J1(3.8317059702).Should().BeApproximately(0, 1e-9);
        Bessel.J1(-1.3).Should().BeApproximately(-Bessel.J1(1.3), 1e-15, "J1 is odd");
    }

    [Fact]
    public void Sinc_centre_before_normalisation_is_cutoff_squared_over_four_pi()
    {
        double wc = 2.0;
        var k = BlurKernels.Sinc(21, wc);
        double neighbour = wc * Bessel.J1(wc) / (2 * Math.PI);
        (k[220] / k[221]).Should().BeApproximately(wc * wc / (4 * Math.PI) / neighbour, 1e-12);
    }

    [Theory]
    [InlineData(Math.PI / 2)]
    [InlineData(Math.PI / 3)]
    [InlineData(2 * Math.PI / 3)]
    public void Sinc_kernel_passes_below_the_cutoff_and_stops_well_above(double cutoff)
    {
        var k = BlurKernels.Sinc(21, cutoff);
        foreach (double angle in new[] { 0, Math.PI / 4, Math.PI / 6 })
        {
            for (double w = 0; w <= Math.PI; w += Math.PI / 64)
            {
                double h = Response(k, 21, w * Math.Cos(angle), w * Math.Sin(angle));
                if (w <= 0.7 * cutoff)
                {
                    h.Should().BeApproximately(1, 0.15, $"pass band (21 taps leave a Gibbs ripple of about 11%) at ω = {w:F3} (ωc = {cutoff:F3}, direction {angle:F2})");
                }
                else if (w >= 1.3 * cutoff)
                {
                    Math.Abs(h).Should().BeLessThan(0.12, $"stop band at ω = {w:F3} (ωc = {cutoff:F3}, direction {angle:F2})");
                }
            }
        }
    }

    /// <summary>Frequency response of a point-symmetric kernel: Σ K(x, y)·cos(ωx·x + ωy·y).</summary>
    private static double Response(double[] k, int size, double wx, double wy)
    {
        int h = size / 2;
        double sum = 0;
        for (int y = -h; y <= h; y++)
        {
            for (int x = -h; x <= h; x++)
            {
                sum += k[((y + h) * size) + x + h] * Math.Cos((wx * x) + (wy * y));
            }
        }

        return sum;
    }

    private static bool PointSymmetric(double[] k, int size) =>
        Enumerable.Range(0, k.Length).All(i => Math.Abs(k[i] - k[k.Length - 1 - i]) < 1e-15);

    private static double[] Transpose(double[] k, int n)
    {
        var t = new double[k.Length];
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                t[(x * n) + y] = k[(y * n) + x];
            }
        }

        return t;
    }

    private static double[] Rotate90(double[] k, int n)
    {
        var r = new double[k.Length];
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                r[(x * n) + (n - 1 - y)] = k[(y * n) + x];
            }
        }

        return r;
    }

    private static double MaxDiff(double[] a, double[] b) => a.Zip(b, (u, v) => Math.Abs(u - v)).Max();
}
