using TsdSr.Models.Lora;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Models.Lora;

/// <summary>LoRA on a Linear: runtime form, merge / unmerge, several adapters, freezing and casts.</summary>
public class LoraLinearTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    private static LoraLinear LayerWithAdapter(string adapter = "default", int rank = 3, double alpha = 6, bool loraBias = false)
    {
        var layer = new LoraLinear(8, 5);
        layer.AddAdapter(adapter, rank, alpha, init: LoraInit.Random, loraBias: loraBias);
        if (loraBias)
        {
            using var noGrad = no_grad();
            nn.init.normal_(layer.AdapterB(adapter).named_parameters().Single(p => p.name == "bias").parameter);
        }

        layer.SetActiveAdapters([adapter]);
        return layer;
    }

    private static Tensor WeightOf(nn.Module module, string name = "weight") =>
        module.named_parameters(false).Single(p => p.name == name).parameter;

    [Fact]
    public void Runtime_forward_is_base_plus_scale_times_alpha_over_r_times_B_A_x()
    {
        using var layer = LayerWithAdapter(rank: 3, alpha: 6);
        layer.SetScale("default", 0.5);
        using var x = randn(2, 7, 8);
        using var y = layer.call(x);

        using var scope = NewDisposeScope();
        var a = WeightOf(layer.AdapterA("default"));
        var b = WeightOf(layer.AdapterB("default"));
        var expected = nn.functional.linear(x, layer.Weight, layer.Bias) + x.matmul(a.t()).matmul(b.t()) * (0.5 * 6 / 3);
        TensorAssert.Close(y, expected, Tolerance);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void Merged_forward_matches_runtime_forward(double scale)
    {
        using var layer = LayerWithAdapter(loraBias: true);
        layer.SetScale("default", scale);
        using var x = randn(4, 8);
        using var runtime = layer.call(x);
        layer.Merge();
        layer.IsMerged.Should().BeTrue();
        using var merged = layer.call(x);
        var error = TensorAssert.MaxAbsDiff(merged, runtime);
        output.WriteLine($"linear, scale {scale}: merged vs runtime max|Δ| = {error:E2}");
        error.Should().BeLessThanOrEqualTo(Tolerance);
    }

    [Fact]
    public void Merged_forward_skips_the_adapter_path()
    {
        using var layer = LayerWithAdapter();
        layer.Merge();
        using var x = randn(4, 8);
        using var y = layer.call(x);
        using var baseOnly = nn.functional.linear(x, layer.Weight, layer.Bias);
        y.SameAs(baseOnly).Should().BeTrue();
    }

    [Fact]
    public void Unmerge_restores_weight_and_bias_bit_for_bit()
    {
        using var layer = LayerWithAdapter(loraBias: true);
        layer.AddAdapter("second", 2, 2, init: LoraInit.Random);
        layer.SetActiveAdapters(["default", "second"]);
        using var w0 = layer.Weight.detach().clone();
        using var b0 = layer.Bias!.detach().clone();

        layer.Merge();
        layer.Weight.SameAs(w0).Should().BeFalse();
        layer.Bias!.SameAs(b0).Should().BeFalse("the B bias is merged into the base bias");
        layer.Unmerge();

        layer.Weight.SameAs(w0).Should().BeTrue();
        layer.Bias!.SameAs(b0).Should().BeTrue();
        layer.IsMerged.Should().BeFalse();
    }

    [Fact]
    public void Two_active_adapters_add_up_and_switching_selects_one()
    {
        using var layer = LayerWithAdapter("teacher");
        layer.AddAdapter("student", 2, 4, init: LoraInit.Random);
        using var x = randn(3, 8);
        using var baseOnly = nn.functional.linear(x, layer.Weight, layer.Bias);

        layer.SetActiveAdapters(["teacher"]);
        using var teacher = layer.call(x);
        layer.SetActiveAdapters(["student"]);
        using var student = layer.call(x);
        layer.SetActiveAdapters(["teacher", "student"]);
        using var both = layer.call(x);
        layer.SetActiveAdapters([]);
        using var none = layer.call(x);

        TensorAssert.Close(both, teacher + student - baseOnly, Tolerance);
        teacher.allclose(student).Should().BeFalse();
        none.SameAs(baseOnly).Should().BeTrue();
    }

    [Fact]
    public void Disabling_adapters_gives_the_base_output_exactly()
    {
        using var layer = LayerWithAdapter();
        using var x = randn(3, 8);
        using var baseOnly = nn.functional.linear(x, layer.Weight, layer.Bias);
        layer.SetAdaptersEnabled(false);
        using var y = layer.call(x);
        y.SameAs(baseOnly).Should().BeTrue();
        layer.SetAdaptersEnabled(true);
        using var y2 = layer.call(x);
        y2.SameAs(baseOnly).Should().BeFalse();
    }

    [Fact]
    public void New_adapters_start_as_no_ops_with_default_and_gaussian_init()
    {
        using var layer = new LoraLinear(512, 6);
        layer.AddAdapter("kaiming", 4, 4);
        layer.AddAdapter("gaussian", 4, 4, init: LoraInit.Gaussian);
        layer.SetActiveAdapters(["kaiming", "gaussian"]);
        using var x = randn(2, 512);
        using var y = layer.call(x);
        using var baseOnly = nn.functional.linear(x, layer.Weight, layer.Bias);
        y.SameAs(baseOnly).Should().BeTrue();
        WeightOf(layer.AdapterB("gaussian")).count_nonzero().item<long>().Should().Be(0);

        // PEFT's "gaussian": A ~ N(0, std = 1/r) = N(0, 0.25²) over 2048 values.
        var std = WeightOf(layer.AdapterA("gaussian")).std().item<float>();
        std.Should().BeInRange(0.22f, 0.28f);
    }

    [Fact]
    public void State_dict_gains_peft_keys_per_adapter_and_loses_them_on_delete()
    {
        using var layer = LayerWithAdapter(loraBias: true);
        layer.AddAdapter("other", 2, 2);
        layer.state_dict().Keys.Should().BeEquivalentTo(
            "weight", "bias", "lora_A.default.weight", "lora_B.default.weight", "lora_B.default.bias", "lora_A.other.weight", "lora_B.other.weight");
        WeightOf(layer.AdapterA("default")).shape.Should().Equal(3, 8);
        WeightOf(layer.AdapterB("default")).shape.Should().Equal(5, 3);

        layer.DeleteAdapter("default");
        layer.DeleteAdapter("other");
        layer.state_dict().Keys.Should().BeEquivalentTo("weight", "bias");
        layer.ActiveAdapters.Should().BeEmpty();
    }

    [Fact]
    public void Gradients_reach_only_lora_parameters_when_the_base_is_frozen()
    {
        using var layer = LayerWithAdapter();
        layer.FreezeBase();
        using var x = randn(4, 8);
        using var loss = layer.call(x).square().sum();
        loss.backward();

        layer.Weight.grad.Should().BeNull();
        layer.Bias!.grad.Should().BeNull();
        foreach (var (name, p) in layer.AdapterParameters("default"))
        {
            p.requires_grad.Should().BeTrue(name);
            p.grad.Should().NotBeNull(name);
            p.grad!.abs().sum().item<float>().Should().BeGreaterThan(0, name);
        }
    }

    [Fact]
    public void Adapters_follow_a_cast_and_the_layer_keeps_working()
    {
        using var layer = LayerWithAdapter();
        layer.FreezeBase();
        using var x = randn(3, 8);
        using var y32 = layer.call(x);

        layer.to(float64);
        layer.Weight.dtype.Should().Be(ScalarType.Float64);
        layer.Weight.requires_grad.Should().BeFalse("a cast keeps requires_grad");
        layer.AdapterParameters("default").Should().OnlyContain(p => p.Parameter.dtype == ScalarType.Float64 && p.Parameter.requires_grad);
        using var x64 = x.to(float64);
        using var y64 = layer.call(x64);
        y64.dtype.Should().Be(ScalarType.Float64);
        TensorAssert.Close(y64, y32, Tolerance);
    }

    [Fact]
    public void Unmerge_after_a_cast_restores_the_cast_base_weight_exactly()
    {
        using var layer = LayerWithAdapter();
        using var w0 = layer.Weight.detach().clone();
        layer.Merge();
        layer.to(float64);
        layer.Unmerge();
        using var expected64 = w0.to(float64);
        layer.Weight.SameAs(expected64).Should().BeTrue();

        layer.Merge();
        layer.to(bfloat16);
        layer.Unmerge();
        using var expected16 = w0.to(bfloat16);
        layer.Weight.SameAs(expected16).Should().BeTrue();
    }

    [Fact]
    public void Float32_adapters_run_over_a_bfloat16_base()
    {
        using var layer = new LoraLinear(8, 5);
        layer.to(bfloat16);
        layer.AddAdapter("default", 2, 2, init: LoraInit.Random, dtype: ScalarType.Float32);
        layer.SetActiveAdapters(["default"]);
        WeightOf(layer.AdapterA("default")).dtype.Should().Be(ScalarType.Float32);
        using var x = randn(3, 8).to(bfloat16);
        using var y = layer.call(x);
        y.dtype.Should().Be(ScalarType.BFloat16);
    }

    [Fact]
    public void Changing_the_active_set_or_scale_of_a_merged_layer_is_refused()
    {
        using var layer = LayerWithAdapter();
        layer.AddAdapter("other", 2, 2);
        layer.Merge();
        layer.Invoking(l => l.SetActiveAdapters(["other"])).Should().Throw<InvalidOperationException>();
        layer.Invoking(l => l.SetScale("default", 0.5)).Should().Throw<InvalidOperationException>();
        layer.Invoking(l => l.SetAdaptersEnabled(false)).Should().Throw<InvalidOperationException>();
        layer.Invoking(l => l.DeleteAdapter("default")).Should().Throw<InvalidOperationException>();
        layer.Invoking(l => l.SetActiveAdapters(["missing"])).Should().Throw<KeyNotFoundException>();
    }

    [Fact]
    public void Merge_and_unload_keeps_the_merged_output_and_drops_every_adapter()
    {
        using var layer = LayerWithAdapter();
        layer.AddAdapter("inactive", 2, 2, init: LoraInit.Random);
        using var x = randn(3, 8);
        using var runtime = layer.call(x);
        layer.MergeAndUnload();
        layer.AdapterNames.Should().BeEmpty();
        layer.IsMerged.Should().BeFalse();
        layer.state_dict().Keys.Should().BeEquivalentTo("weight", "bias");
        using var y = layer.call(x);
        TensorAssert.Close(y, runtime, Tolerance);
    }

    [Fact]
    public void Forward_with_adapters_leaves_no_tensors_behind()
    {
        using var layer = LayerWithAdapter();
        using var x = randn(3, 8);
        LeakCheck.NoLiveTensorsAfter(() =>
        {
            using var y = layer.call(x);
        });
    }

    [Fact]
    public void Merge_unmerge_cycles_leave_no_tensors_behind()
    {
        using var layer = LayerWithAdapter(loraBias: true);
        LeakCheck.NoLiveTensorsAfter(() =>
        {
            layer.Merge();
            layer.Unmerge();
        });
    }

    [Fact]
    public void Adapters_added_and_merged_inside_a_dispose_scope_outlive_it()
    {
        using var layer = new LoraLinear(8, 5);
        using var w0 = layer.Weight.detach().clone();
        using (NewDisposeScope())
        {
            layer.AddAdapter("default", 2, 2, init: LoraInit.Random);
            layer.SetActiveAdapters(["default"]);
            layer.Merge();
        }

        using var x = randn(3, 8);
        using var merged = layer.call(x);
        layer.Unmerge();
        layer.Weight.SameAs(w0).Should().BeTrue();
        using var runtime = layer.call(x);
        TensorAssert.Close(merged, runtime, Tolerance);
    }
}
