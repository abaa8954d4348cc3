using TsdSr.Models.Transformers;

namespace TsdSr.Tests.Models.Transformers;

/// <summary>The transformer's analytic compute, checked against a count done by hand.</summary>
public class SD3TransformerConfigFlopsTests
{
    [Fact]
    public void One_context_pre_only_block_is_counted_projection_by_projection()
    {
        var c = SD3TransformerConfig.Tiny with
        {
            PatchSize = 2, InChannels = 4, OutChannels = 4, NumLayers = 1, AttentionHeadDim = 4, NumAttentionHeads = 2,
            JointAttentionDim = 6, CaptionProjectionDim = 8,
        };
        // 4×4 latent → n = 4 tokens of D = 8; l = 3 context tokens.
        // patch embedding 2·(4·2²)·8·4 = 1,024; context embedder 2·6·8·3 = 288; proj_out 2·8·(2²·4)·4 = 1,024;
        // the block (the last, so context-pre-only): q/k/v over 7 tokens 3·2·8²·7 = 2,688, Q·Kᵀ and A·V 2·2·7²·8 = 1,568,
        // to_out over the 4 image tokens 2·8²·4 = 512, ff 16·8²·4 = 4,096.
        c.ForwardFlops(4, 4, 3).Should().Be(1_024 + 288 + 1_024 + 2_688 + 1_568 + 512 + 4_096);
    }

    [Fact]
    public void Sd3_medium_at_1024_image_and_333_text_tokens_is_about_2_tflop()
    {
        // Plausibility: 24 blocks × (24·D² multiply-adds per token over 1,357 tokens + attention), D = 1536: ≈ 2.1 TFLOP.
        double tflop = SD3TransformerConfig.Sd3Medium.ForwardFlops(64, 64, 333) / 1e12;
        tflop.Should().BeInRange(2.0, 2.3);
    }
}
