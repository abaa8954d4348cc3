using TsdSr.Inference.Benchmarking;

namespace TsdSr.Tests.Inference.Benchmarking;

/// <summary>The GEMM probe behind the FLOP floors: its convolution form computes the product it claims to.</summary>
public class GemmThroughputTests
{
    [Fact]
    public void The_convolution_form_computes_the_same_product_and_adds_the_bias()
    {
        using var scope = NewDisposeScope();
        var a = randn(37, 53, generator: new Generator(1));
        var b = randn(53, 29, generator: new Generator(2));
        var bias = randn(29, generator: new Generator(3));
        var expected = a.to(ScalarType.Float64).mm(b.to(ScalarType.Float64));

        var product = GemmThroughput.ProductAsConvolution(a, b.t().contiguous());
        var withBias = GemmThroughput.ProductAsConvolution(a, b.t().contiguous(), bias);

        product.shape.Should().Equal(37, 29);
        // fp32 sums of 53 products of unit normals: 1e-4 is ~100 fp32 ulps of the largest entries.
        product.to(ScalarType.Float64).sub(expected).abs().max().ToDouble().Should().BeLessThan(1e-4);
        withBias.to(ScalarType.Float64).sub(expected.add(bias.to(ScalarType.Float64))).abs().max().ToDouble().Should().BeLessThan(1e-4);
    }

    [Fact]
    public void On_the_cpu_both_engines_are_measured()
    {
        var (product, convolution) = GemmThroughput.Measure(ScalarType.Float32, CPU);

        product.Should().BePositive();
        convolution.Should().NotBeNull().And.BePositive();
    }
}
