using System.Text;
using System.Text.Json;

namespace TsdSr.Models.Transformers;

/// <summary>Writing diffusers' <c>transformer/config.json</c>.</summary>
public sealed partial record SD3TransformerConfig
{
    /// <summary>
    /// The config as diffusers writes it (<c>_class_name</c> <c>SD3Transformer2DModel</c>, snake_case keys), so that
    /// <see cref="FromJson"/> and diffusers both read it back.
    /// </summary>
    public string ToJson()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("_class_name", "SD3Transformer2DModel");
            w.WriteString("_diffusers_version", "0.31.0");
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
            w.WriteStartArray("dual_attention_layers");
            foreach (var layer in DualAttentionLayers)
            {
                w.WriteNumberValue(layer);
            }

            w.WriteEndArray();
            if (QkNorm is null)
            {
                w.WriteNull("qk_norm");
            }
            else
            {
                w.WriteString("qk_norm", QkNorm);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
