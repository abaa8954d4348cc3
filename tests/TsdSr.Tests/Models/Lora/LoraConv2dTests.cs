using TsdSr.Models.Lora;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Models.Lora;

/// <summary>Conv LoRA (A: conv with the base kernel, stride and padding; B: 1×1 conv), PEFT / diffusers convention.</summary>
public class LoraConv2dTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    private static LoraConv2d LayerWithAdapter(long kernel, long stride, long padding)
    {
        var layer = new LoraConv2d(6, 5, kernel, stride, padding);
        layer.AddAdapter("default", 3, 6, init: LoraInit.Random);
        layer.SetActiveAdapters(["default"]);
        return layer;
    }

    private static Tensor WeightOf(nn.Module module) => module.named_parameters(false).Single(p => p.name == "weight").parameter;

    [Theory]
    [InlineData(3, 2, 1)]
    [InlineData(3, 2, 0)]
    [InlineData(1, 1, 0)]
    [InlineData(2, 2, 0)]
    public void Merged_forward_matches_runtime_forward_at_scale_1_and_0_5(long kernel, long stride, long padding)
    {
        using var layer = LayerWithAdapter(kernel, stride, padding);
        using var x = randn(2, 6, 9, 9);
        foreach (var scale in new[] { 1.0, 0.5 })
        {
            layer.SetScale("default", scale);
            using var runtime = layer.call(x);
            layer.Merge();
            using var merged = layer.call(x);
            layer.Unmerge();
            var error = TensorAssert.MaxAbsDiff(merged, runtime);
            output.WriteLine($"kernel {kernel}, stride {stride}, padding {padding}, scale {scale}: merged vs runtime max|Δ| = {error:E2}");
            error.Should().BeLessThanOrEqualTo(Tolerance);
        }
    }

    [Fact]
    public void Adapter_A_is_a_conv_with_the_base_geometry_and_B_is_1x1()
    {
        using var layer = LayerWithAdapter(3, 2, 1);
        WeightOf(layer.AdapterA("default")).shape.Should().Equal(3, 6, 3, 3);
        WeightOf(layer.AdapterB("default")).shape.Should().Equal(5, 3, 1, 1);
        layer.AdapterAShape(3).Should().Equal(3, 6, 3, 3);
        layer.AdapterBShape(3).Should().Equal(5, 3, 1, 1);

        using var x = randn(1, 6, 9, 9);
        using var y = layer.call(x);
        y.shape.Should().Equal(1, 5, 5, 5);

        using var scope = NewDisposeScope();
        var a = WeightOf(layer.AdapterA("default"));
        var b = WeightOf(layer.AdapterB("default"));
        var expected = nn.functional.conv2d(x, layer.Weight, layer.Bias, strides: new long[] { 2, 2 }, padding: new long[] { 1, 1 })
            + nn.functional.conv2d(nn.functional.conv2d(x, a, strides: new long[] { 2, 2 }, padding: new long[] { 1, 1 }), b) * 2.0;
        TensorAssert.Close(y, expected, Tolerance);
    }

    [Fact]
    public void Unmerge_restores_the_conv_weight_bit_for_bit_after_a_cast()
    {
        using var layer = LayerWithAdapter(3, 2, 1);
        using var w0 = layer.Weight.detach().clone();
        layer.Merge();
        layer.Unmerge();
        layer.Weight.SameAs(w0).Should().BeTrue();

        layer.Merge();
        layer.to(float64);
        layer.Unmerge();
        using var w64 = w0.to(float64);
        layer.Weight.SameAs(w64).Should().BeTrue();
    }

    [Fact]
    public void Conv_adapters_survive_a_cast_and_take_gradients_with_a_frozen_base()
    {
        using var layer = LayerWithAdapter(3, 2, 1);
        layer.FreezeBase();
        layer.to(float64);
        using var x = randn(1, 6, 8, 8, dtype: float64);
        using var loss = layer.call(x).square().sum();
        loss.backward();
        layer.Weight.grad.Should().BeNull();
        foreach (var (name, p) in layer.AdapterParameters("default"))
        {
            p.dtype.Should().Be(ScalarType.Float64, name);
            p.grad.Should().NotBeNull(name);
        }
    }
}
