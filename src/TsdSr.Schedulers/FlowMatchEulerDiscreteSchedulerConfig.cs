using TsdSr.Core.Configuration;

namespace TsdSr.Schedulers;

/// <summary>
/// Configuration of <see cref="FlowMatchEulerDiscreteScheduler"/>, field for field the diffusers
/// <c>scheduler_config.json</c> (defaults are diffusers' constructor defaults). Options that change the sigma grid
/// beyond the static shift are carried so that configs round-trip, but <see cref="Validate"/> rejects them: they are not
/// covered by the golden fixtures.
/// </summary>
public sealed partial record FlowMatchEulerDiscreteSchedulerConfig
{
    /// <summary>Length of the training schedule (<c>num_train_timesteps</c>).</summary>
    public int NumTrainTimesteps { get; init; } = 1000;

    /// <summary>Static timestep shift (<c>shift</c>): σ ← shift·σ / (1 + (shift − 1)·σ).</summary>
    public double Shift { get; init; } = 1.0;

    /// <summary>Resolution-dependent shifting (<c>use_dynamic_shifting</c>). Not supported.</summary>
    public bool UseDynamicShifting { get; init; }

    /// <summary><c>base_shift</c>, used only with dynamic shifting.</summary>
    public double BaseShift { get; init; } = 0.5;

    /// <summary><c>max_shift</c>, used only with dynamic shifting.</summary>
    public double MaxShift { get; init; } = 1.15;

    /// <summary><c>base_image_seq_len</c>, used only with dynamic shifting.</summary>
    public int BaseImageSeqLen { get; init; } = 256;

    /// <summary><c>max_image_seq_len</c>, used only with dynamic shifting.</summary>
    public int MaxImageSeqLen { get; init; } = 4096;

    /// <summary><c>invert_sigmas</c>. Not supported.</summary>
    public bool InvertSigmas { get; init; }

    /// <summary><c>shift_terminal</c>. Not supported (must be null).</summary>
    public double? ShiftTerminal { get; init; }

    /// <summary><c>use_karras_sigmas</c>. Not supported.</summary>
    public bool UseKarrasSigmas { get; init; }

    /// <summary><c>use_exponential_sigmas</c>. Not supported.</summary>
    public bool UseExponentialSigmas { get; init; }

    /// <summary><c>use_beta_sigmas</c>. Not supported.</summary>
    public bool UseBetaSigmas { get; init; }

    /// <summary><c>time_shift_type</c>: "exponential" or "linear" (only read with dynamic shifting).</summary>
    public string TimeShiftType { get; init; } = "exponential";

    /// <summary><c>stochastic_sampling</c>. Not supported.</summary>
    public bool StochasticSampling { get; init; }

    /// <summary>The SD3 / SD3.5 scheduler: 1000 training steps, static shift 3.</summary>
    public static FlowMatchEulerDiscreteSchedulerConfig Sd3 { get; } = new() { Shift = 3.0 };

    /// <summary>Parses diffusers' <c>scheduler_config.json</c> text. Unknown keys are ignored; absent keys keep defaults.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Name used in error messages (usually the path).</param>
    /// <exception cref="FormatException">The JSON is invalid or a known key has the wrong type.</exception>
    public static FlowMatchEulerDiscreteSchedulerConfig FromJson(string json, string source = "scheduler_config.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = ConfigJson.Parse(json, source);
        var c = new FlowMatchEulerDiscreteSchedulerConfig();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            c = p.Name switch
            {
                "num_train_timesteps" => c with { NumTrainTimesteps = ConfigJson.Int(p, source) },
                "shift" => c with { Shift = ConfigJson.Double(p, source) },
                "use_dynamic_shifting" => c with { UseDynamicShifting = ConfigJson.Bool(p, source) },
                "base_shift" => c with { BaseShift = ConfigJson.NullableDouble(p, source) ?? 0.5 },
                "max_shift" => c with { MaxShift = ConfigJson.NullableDouble(p, source) ?? 1.15 },
                "base_image_seq_len" => c with { BaseImageSeqLen = ConfigJson.Int(p, source) },
                "max_image_seq_len" => c with { MaxImageSeqLen = ConfigJson.Int(p, source) },
                "invert_sigmas" => c with { InvertSigmas = ConfigJson.Bool(p, source) },
                "shift_terminal" => c with { ShiftTerminal = ConfigJson.NullableDouble(p, source) },
                "use_karras_sigmas" => c with { UseKarrasSigmas = ConfigJson.Bool(p, source) },
                "use_exponential_sigmas" => c with { UseExponentialSigmas = ConfigJson.Bool(p, source) },
                "use_beta_sigmas" => c with { UseBetaSigmas = ConfigJson.Bool(p, source) },
                "time_shift_type" => c with { TimeShiftType = ConfigJson.String(p, source) },
                "stochastic_sampling" => c with { StochasticSampling = ConfigJson.Bool(p, source) },
                _ => c,
            };
        }

        return c;
    }

    /// <summary>Reads and parses a <c>scheduler_config.json</c> file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static FlowMatchEulerDiscreteSchedulerConfig FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Scheduler config not found: '{Path.GetFullPath(path)}'.", path);
        }

        return FromJson(TsdSr.Core.Files.RegularFile.ReadSmallText(path, "Scheduler config"), path);
    }

    /// <summary>Checks the values and rejects options this port does not implement.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    /// <exception cref="NotSupportedException">An option other than the static-shift schedule is enabled.</exception>
    public void Validate()
    {
        if (NumTrainTimesteps < 1)
        {
            throw new ArgumentException($"num_train_timesteps must be at least 1, got {NumTrainTimesteps}.");
        }

        if (!double.IsFinite(Shift) || Shift <= 0)
        {
            throw new ArgumentException($"shift must be a positive finite number, got {Shift}.");
        }

        if (TimeShiftType is not ("exponential" or "linear"))
        {
            throw new ArgumentException($"time_shift_type must be 'exponential' or 'linear', got '{TimeShiftType}'.");
        }

        if (UseKarrasSigmas && UseExponentialSigmas || UseKarrasSigmas && UseBetaSigmas || UseExponentialSigmas && UseBetaSigmas)
        {
            throw new ArgumentException("Only one of use_karras_sigmas, use_exponential_sigmas and use_beta_sigmas may be true.");
        }

        Reject(UseDynamicShifting, "use_dynamic_shifting");
        Reject(InvertSigmas, "invert_sigmas");
        Reject(ShiftTerminal is not null, "shift_terminal");
        Reject(UseKarrasSigmas, "use_karras_sigmas");
        Reject(UseExponentialSigmas, "use_exponential_sigmas");
        Reject(UseBetaSigmas, "use_beta_sigmas");
        Reject(StochasticSampling, "stochastic_sampling");
    }

    private static void Reject(bool enabled, string key)
    {
        if (enabled)
        {
            throw new NotSupportedException(
                $"FlowMatchEulerDiscreteScheduler option '{key}' is not supported: only the static-shift schedule (SD3 / SD3.5) is implemented.");
        }
    }
}
