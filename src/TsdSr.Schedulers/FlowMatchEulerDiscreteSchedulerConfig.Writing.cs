using System.Text;
using System.Text.Json;

namespace TsdSr.Schedulers;

/// <summary>Writing diffusers' <c>scheduler/scheduler_config.json</c>.</summary>
public sealed partial record FlowMatchEulerDiscreteSchedulerConfig
{
    /// <summary>The config as diffusers writes it (<c>_class_name</c> <c>FlowMatchEulerDiscreteScheduler</c>).</summary>
    public string ToJson()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("_class_name", "FlowMatchEulerDiscreteScheduler");
            w.WriteString("_diffusers_version", "0.31.0");
            w.WriteNumber("num_train_timesteps", NumTrainTimesteps);
            w.WriteNumber("shift", Shift);
            w.WriteBoolean("use_dynamic_shifting", UseDynamicShifting);
            w.WriteNumber("base_shift", BaseShift);
            w.WriteNumber("max_shift", MaxShift);
            w.WriteNumber("base_image_seq_len", BaseImageSeqLen);
            w.WriteNumber("max_image_seq_len", MaxImageSeqLen);
            w.WriteBoolean("invert_sigmas", InvertSigmas);
            if (ShiftTerminal is { } terminal)
            {
                w.WriteNumber("shift_terminal", terminal);
            }
            else
            {
                w.WriteNull("shift_terminal");
            }

            w.WriteBoolean("use_karras_sigmas", UseKarrasSigmas);
            w.WriteBoolean("use_exponential_sigmas", UseExponentialSigmas);
            w.WriteBoolean("use_beta_sigmas", UseBetaSigmas);
            w.WriteString("time_shift_type", TimeShiftType);
            w.WriteBoolean("stochastic_sampling", StochasticSampling);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
