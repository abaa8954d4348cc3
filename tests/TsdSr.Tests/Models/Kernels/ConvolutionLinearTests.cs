using TsdSr.Models.Kernels;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Models.Kernels;

/// <summary>
/// <see cref="ConvolutionLinear"/> is <c>nn.functional.linear</c> computed by oneDNN's 1×1 convolution: the same values
/// up to fp32 summation order (bar 1e-5 on outputs of order 1 over 96 inputs; measured 0 at these shapes, and 8.6e-6 at
/// the MMDiT's 6,144 inputs with the benchmark <c>--linear-paths</c>), for any leading shape, strided inputs and no bias.
/// </summary>
public sealed class ConvolutionLinearTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    private static (Tensor Weight, Tensor Bias) Layer(long inputs, long outputs)
    {
        var generator = new Generator(3);
        return (randn(new[] { outputs, inputs }, generator: generator).div_(Math.Sqrt(inputs)), randn(new[] { outputs }, generator: generator));
    }

    [Theory]
    [InlineData(new long[] { 37, 96 })]
    [InlineData(new long[] { 2, 37, 96 })]
    [InlineData(new long[] { 2, 3, 5, 96 })]
    [InlineData(new long[] { 1, 96 })]
    public void It_equals_the_linear_product_for_any_leading_shape(long[] shape)
    {
        var (weight, bias) = Layer(96, 64);
        using (weight)
        using (bias)
        using (var x = randn(shape, generator: new Generator(4)))
        using (var expected = nn.functional.linear(x, weight, bias))
        using (var actual = ConvolutionLinear.Forward(x, weight, bias))
        {
            actual.shape.Should().Equal(expected.shape);
            var error = TensorAssert.MaxAbsDiff(actual, expected);
            output.WriteLine($"[{string.Join(", ", shape)}]: max |conv - linear| {error:E2}");
            error.Should().BeLessThanOrEqualTo(Tolerance);
            expected.abs().max().ToDouble().Should().BeGreaterThan(0.5, "outputs of order one make the bar meaningful");
        }
    }

    [Fact]
    public void It_equals_the_fp64_product_and_adds_the_bias()
    {
        using var scope = NewDisposeScope();
        var a = randn(37, 53, generator: new Generator(1));
        var b = randn(53, 29, generator: new Generator(2));
        var bias = randn(29, generator: new Generator(3));
        var expected = a.to(ScalarType.Float64).mm(b.to(ScalarType.Float64));

        var product = ConvolutionLinear.Forward(a, b.t().contiguous());
        var withBias = ConvolutionLinear.Forward(a, b.t().contiguous(), bias);

        product.shape.Should().Equal(37, 29);
        // fp32 sums of 53 products of unit normals: 1e-4 is ~100 fp32 ulps of the largest entries.
        product.to(ScalarType.Float64).sub(expected).abs().max().ToDouble().Should().BeLessThan(1e-4);
        withBias.to(ScalarType.Float64).sub(expected.add(bias.to(ScalarType.Float64))).abs().max().ToDouble().Should().BeLessThan(1e-4);
    }

    [Fact]
    public void A_strided_input_and_a_missing_bias_are_handled()
    {
        var (weight, bias) = Layer(48, 24);
        using (weight)
        using (bias)
        using (var stored = randn(new long[] { 48, 2, 19 }, generator: new Generator(5)))
        using (var x = stored.permute(1, 2, 0))
        {
            x.is_contiguous().Should().BeFalse("the case is a strided view");
            using var expected = nn.functional.linear(x, weight);
            using var actual = ConvolutionLinear.Forward(x, weight);
            TensorAssert.MaxAbsDiff(actual, expected).Should().BeLessThanOrEqualTo(Tolerance);
        }
    }

    [Fact]
    public void An_input_without_rows_gives_an_empty_result()
    {
        var (weight, bias) = Layer(8, 4);
        using (weight)
        using (bias)
        using (var x = zeros(2, 0, 8))
        using (var y = ConvolutionLinear.Forward(x, weight, bias))
        {
            y.shape.Should().Equal(2, 0, 4);
        }
    }

    [Fact]
    public void A_mismatched_input_size_is_named()
    {
        var (weight, bias) = Layer(8, 4);
        using (weight)
        using (bias)
        using (var x = zeros(3, 7))
        {
            var act = () => ConvolutionLinear.Forward(x, weight, bias);
            act.Should().Throw<ArgumentException>().WithMessage("*[3, 7]*[4, 8]*");
        }
    }

    [Fact]
    public void No_tensor_outlives_the_call()
    {
        var (weight, bias) = Layer(32, 16);
        using (weight)
        using (bias)
        using (var x = randn(2, 9, 32))
        {
            LeakCheck.NoLiveTensorsAfter(() =>
            {
                using var y = ConvolutionLinear.Forward(x, weight, bias);
            });
        }
    }
}
