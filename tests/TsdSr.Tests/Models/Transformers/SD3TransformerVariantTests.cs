using TsdSr.Core.SafeTensors;
using TsdSr.Models.Transformers;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Transformers;

/// <summary>Variant detection from checkpoint key names.</summary>
public class SD3TransformerVariantTests
{
    [Fact]
    public void An_sd3_checkpoint_has_no_dual_attention_and_no_qk_norm()
    {
        using var file = SafetensorsFile.Open(FixturePaths.Get("sd3_transformer_tiny", "diffusion_pytorch_model.safetensors"));

        var variant = SD3TransformerVariant.Detect(file.Tensors.Keys);

        variant.Should().Be(new SD3TransformerVariant([], null));
        variant.Matches(SD3TransformerConfig.Tiny).Should().BeTrue();
    }

    [Fact]
    public void An_sd35_checkpoint_has_dual_attention_in_block_0_and_rms_qk_norm()
    {
        using var file = SafetensorsFile.Open(FixturePaths.Get("sd35_transformer_tiny", "diffusion_pytorch_model.safetensors"));

        var variant = SD3TransformerVariant.Detect(file.Tensors.Keys);

        variant.Should().Be(new SD3TransformerVariant([0], "rms_norm"));
        variant.Matches(SD3TransformerConfig.Tiny).Should().BeFalse();
    }

    [Fact]
    public void Prefixed_keys_are_recognised_and_similar_names_are_not()
    {
        var keys = new[]
        {
            "transformer.transformer_blocks.12.attn2.to_q.weight",
            "transformer.transformer_blocks.3.attn2.to_q.weight",
            "transformer_blocks.0.attn.norm_q.weight",
            "transformer_blocks.5.attn2.to_q.weight.lora_A",
            "transformer_blocks.7.attn2.to_k.weight",
        };

        var variant = SD3TransformerVariant.Detect(keys);

        variant.DualAttentionLayers.Should().Equal(3, 12);
        variant.QkNorm.Should().Be("rms_norm");
        variant.Matches(SD3TransformerConfig.Sd35Medium).Should().BeFalse();
        variant.Matches(SD3TransformerConfig.Sd3Medium with { DualAttentionLayers = [12, 3], QkNorm = "rms_norm" }).Should().BeTrue();
    }
}
