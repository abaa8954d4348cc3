using TsdSr.Core.Configuration;

namespace TsdSr.Models.Transformers;

/// <summary>Writing diffusers' <c>transformer/config.json</c>.</summary>
public sealed partial record SD3TransformerConfig
{
    /// <summary>
    /// The config as diffusers writes it (<c>_class_name</c> <c>SD3Transformer2DModel</c>, snake_case keys), so that
    /// <see cref="FromJson"/> and diffusers both read it back.
    /// </summary>
    public string ToJson() => DiffusersConfigWriter.Write("SD3Transformer2DModel", w =>
    {
        w.WriteNumber("sample_size", SampleSize);
        w.WriteNumber("patch_size", PatchSize);
        w.WriteNumber("in_channels", InChannels);
        w.WriteNumber("out_channels", OutChannels);
        w.WriteNumber("num_layers", NumLayers);
        w.WriteNumber("attention_head_dim", AttentionHeadDim);
        w.WriteNumber("num_attention_heads", NumAttentionHeads);
        w.WriteNumber("joint_attention_dim", JointAttentionDim);
        w.WriteNumber("caption_projection_dim", CaptionProjectionDim);
        w.WriteNumber("pooled_projection_dim", PooledProjectionDim);
        w.WriteNumber("pos_embed_max_size", PosEmbedMaxSize);
        w.WriteArray("dual_attention_layers", DualAttentionLayers);
        w.WriteStringOrNull("qk_norm", QkNorm);
    });
}
