using TsdSr.Core.Configuration;

namespace TsdSr.Schedulers;

/// <summary>Writing diffusers' <c>scheduler/scheduler_config.json</c>.</summary>
public sealed partial record FlowMatchEulerDiscreteSchedulerConfig
{
    /// <summary>The config as diffusers writes it (<c>_class_name</c> <c>FlowMatchEulerDiscreteScheduler</c>).</summary>
    public string ToJson() => DiffusersConfigWriter.Write("FlowMatchEulerDiscreteScheduler", w =>
    {
        w.WriteNumber("num_train_timesteps", NumTrainTimesteps);
        w.WriteNumber("shift", Shift);
        w.WriteBoolean("use_dynamic_shifting", UseDynamicShifting);
        w.WriteNumber("base_shift", BaseShift);
        w.WriteNumber("max_shift", MaxShift);
        w.WriteNumber("base_image_seq_len", BaseImageSeqLen);
        w.WriteNumber("max_image_seq_len", MaxImageSeqLen);
        w.WriteBoolean("invert_sigmas", InvertSigmas);
        w.WriteNumberOrNull("shift_terminal", ShiftTerminal);
        w.WriteBoolean("use_karras_sigmas", UseKarrasSigmas);
        w.WriteBoolean("use_exponential_sigmas", UseExponentialSigmas);
        w.WriteBoolean("use_beta_sigmas", UseBetaSigmas);
        w.WriteString("time_shift_type", TimeShiftType);
        w.WriteBoolean("stochastic_sampling", StochasticSampling);
    });
}
