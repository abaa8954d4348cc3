using TsdSr.Core.Configuration;

namespace TsdSr.Models.Autoencoders;

/// <summary>Writing diffusers' <c>vae/config.json</c>.</summary>
public sealed partial record AutoencoderKLConfig
{
    /// <summary>
    /// The config as diffusers writes it (<c>_class_name</c> <c>AutoencoderKL</c>, snake_case keys), so that
    /// <see cref="FromJson"/> and diffusers both read it back. Doubles keep their shortest round-trip form.
    /// </summary>
    public string ToJson() => DiffusersConfigWriter.Write("AutoencoderKL", w =>
    {
        w.WriteNumber("in_channels", InChannels);
        w.WriteNumber("out_channels", OutChannels);
        w.WriteNumber("latent_channels", LatentChannels);
        w.WriteArray("block_out_channels", BlockOutChannels);
        w.WriteArray("down_block_types", DownBlockTypes);
        w.WriteArray("up_block_types", UpBlockTypes);
        w.WriteNumber("layers_per_block", LayersPerBlock);
        w.WriteString("act_fn", ActFn);
        w.WriteNumber("norm_num_groups", NormNumGroups);
        w.WriteNumber("sample_size", SampleSize);
        w.WriteNumber("scaling_factor", ScalingFactor);
        w.WriteNumberOrNull("shift_factor", ShiftFactor);
        w.WriteArrayOrNull("latents_mean", LatentsMean);
        w.WriteArrayOrNull("latents_std", LatentsStd);
        w.WriteBoolean("force_upcast", ForceUpcast);
        w.WriteBoolean("use_quant_conv", UseQuantConv);
        w.WriteBoolean("use_post_quant_conv", UsePostQuantConv);
        w.WriteBoolean("mid_block_add_attention", MidBlockAddAttention);
    });
}
