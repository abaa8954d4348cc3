using TsdSr.Inference.Benchmarking;

namespace TsdSr.Tests.Inference.Benchmarking;

/// <summary>The GEMM probe behind the FLOP floors measures both CPU engines (the convolution form's values: <c>ConvolutionLinearTests</c>).</summary>
public class GemmThroughputTests
{
    [Fact]
    public void On_the_cpu_both_engines_are_measured()
    {
        var (product, convolution) = GemmThroughput.Measure(ScalarType.Float32, CPU);

        product.Should().BePositive();
        convolution.Should().NotBeNull().And.BePositive();
    }
}
