using System.Text;
using System.Text.Json;

namespace TsdSr.Models.Autoencoders;

/// <summary>Writing diffusers' <c>vae/config.json</c>.</summary>
public sealed partial record AutoencoderKLConfig
{
    /// <summary>
    /// The config as diffusers writes it (<c>_class_name</c> <c>AutoencoderKL</c>, snake_case keys), so that
    /// <see cref="FromJson"/> and diffusers both read it back. Doubles keep their shortest round-trip form.
    /// </summary>
    public string ToJson()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("_class_name", "AutoencoderKL");
            w.WriteString("_diffusers_version", "0.31.0");
            w.WriteNumber("in_channels", InChannels);
            w.WriteNumber("out_channels", OutChannels);
            w.WriteNumber("latent_channels", LatentChannels);
            WriteInts(w, "block_out_channels", BlockOutChannels);
            WriteStrings(w, "down_block_types", DownBlockTypes);
            WriteStrings(w, "up_block_types", UpBlockTypes);
            w.WriteNumber("layers_per_block", LayersPerBlock);
            w.WriteString("act_fn", ActFn);
            w.WriteNumber("norm_num_groups", NormNumGroups);
            w.WriteNumber("sample_size", SampleSize);
            w.WriteNumber("scaling_factor", ScalingFactor);
            if (ShiftFactor is { } shift)
            {
                w.WriteNumber("shift_factor", shift);
            }
            else
            {
                w.WriteNull("shift_factor");
            }

            WriteDoubles(w, "latents_mean", LatentsMean);
            WriteDoubles(w, "latents_std", LatentsStd);
            w.WriteBoolean("force_upcast", ForceUpcast);
            w.WriteBoolean("use_quant_conv", UseQuantConv);
            w.WriteBoolean("use_post_quant_conv", UsePostQuantConv);
            w.WriteBoolean("mid_block_add_attention", MidBlockAddAttention);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteInts(Utf8JsonWriter w, string name, IReadOnlyList<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteDoubles(Utf8JsonWriter w, string name, IReadOnlyList<double>? values)
    {
        if (values is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }
}
