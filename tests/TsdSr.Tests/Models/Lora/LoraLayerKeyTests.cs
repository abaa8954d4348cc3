using TsdSr.Models.Lora;

namespace TsdSr.Tests.Models.Lora;

/// <summary>LoRA-capable layers expose exactly nn.Linear / nn.Conv2d state-dict keys when no adapter is attached.</summary>
public class LoraLayerKeyTests
{
    [Fact]
    public void LoraLinear_without_adapters_has_linear_keys_and_casts_in_place()
    {
        using var layer = new LoraLinear(4, 3);
        layer.state_dict().Keys.Should().BeEquivalentTo("weight", "bias");
        layer.to(bfloat16);
        layer.Weight.dtype.Should().Be(ScalarType.BFloat16);
        layer.state_dict()["weight"].dtype.Should().Be(ScalarType.BFloat16);
    }

    [Fact]
    public void LoraConv2d_without_adapters_has_conv_keys_and_matches_conv2d()
    {
        using var layer = new LoraConv2d(3, 5, 3, stride: 2, padding: 1);
        layer.state_dict().Keys.Should().BeEquivalentTo("weight", "bias");
        using var x = randn(1, 3, 8, 8);
        using var y = layer.call(x);
        using var expected = nn.functional.conv2d(x, layer.Weight, layer.Bias, strides: new long[] { 2, 2 }, padding: new long[] { 1, 1 });
        y.allclose(expected, 0, 0).Should().BeTrue();
        y.shape.Should().Equal(1, 5, 4, 4);
    }
}

public class LoraAdapterStoreTests
{
    [Fact]
    public void Adapters_get_peft_in_model_keys_and_survive_dtype_casts()
    {
        using var layer = new LoraLinear(4, 3);
        var store = (LoraAdapterStore)layer.named_children().Single(c => c.name == "lora_A").module;
        store.Add("default", nn.Linear(4, 2, hasBias: false));
        layer.state_dict().Keys.Should().BeEquivalentTo("weight", "bias", "lora_A.default.weight");
        layer.to(bfloat16);
        layer.state_dict()["lora_A.default.weight"].dtype.Should().Be(ScalarType.BFloat16);
        ((TorchSharp.Modules.Linear)store.Get("default")).weight!.dtype.Should().Be(ScalarType.BFloat16);
    }
}
