using TsdSr.Models.Lora;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Lora;

/// <summary>
/// <see cref="LoraLinear.Fp32ConvolutionOnCpu"/>: off by default; when on, fp32 CPU calls take the convolution path
/// and give the linear layer's values (bar 1e-5, fp32 summation order), with runtime adapters still added; other dtypes
/// keep libtorch's product.
/// </summary>
public sealed class LoraLinearConvolutionTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void The_convolution_path_is_off_by_default()
    {
        using var layer = new LoraLinear(16, 8);
        using var x = randn(3, 16);
        layer.Fp32ConvolutionOnCpu.Should().BeFalse();
        layer.UsesConvolution(x).Should().BeFalse();
    }

    [Fact]
    public void Only_fp32_calls_on_the_cpu_take_it()
    {
        LoraLinear.ConvolutionApplies(ScalarType.Float32, DeviceType.CPU).Should().BeTrue();
        LoraLinear.ConvolutionApplies(ScalarType.Float32, DeviceType.CUDA).Should().BeFalse();
        LoraLinear.ConvolutionApplies(ScalarType.BFloat16, DeviceType.CPU).Should().BeFalse();
        using var layer = new LoraLinear(16, 8) { Fp32ConvolutionOnCpu = true };
        using var x = randn(3, 16);
        layer.UsesConvolution(x).Should().BeTrue();
        layer.to(ScalarType.BFloat16);
        using var half = x.to(ScalarType.BFloat16);
        layer.UsesConvolution(half).Should().BeFalse();
        using var y = layer.call(half);
        using var expected = nn.functional.linear(half, layer.Weight, layer.Bias);
        y.SameAs(expected).Should().BeTrue("a bf16 call is libtorch's own product, bit for bit");
    }

    [Fact]
    public void It_gives_the_linear_values_with_a_runtime_adapter_added()
    {
        using var plain = new LoraLinear(24, 12);
        plain.AddAdapter("default", 4, 8, init: LoraInit.Random);
        using (no_grad())
        {
            nn.init.normal_(plain.AdapterB("default").named_parameters().Single(p => p.name == "weight").parameter);
        }

        plain.SetActiveAdapters(["default"]);
        using var x = randn(2, 5, 24);
        using var expected = plain.call(x);
        plain.Fp32ConvolutionOnCpu = true;
        plain.UsesConvolution(x).Should().BeTrue();
        using var actual = plain.call(x);

        TensorAssert.MaxAbsDiff(actual, expected).Should().BeLessThanOrEqualTo(Tolerance);
        using var baseOnly = nn.functional.linear(x, plain.Weight, plain.Bias);
        TensorAssert.MaxAbsDiff(actual, baseOnly).Should().BeGreaterThan(1e-2, "the adapter's contribution must be in the result");
    }
}
