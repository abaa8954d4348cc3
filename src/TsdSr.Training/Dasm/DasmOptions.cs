using System.Text.Json.Serialization;

namespace TsdSr.Training.Dasm;

/// <summary>
/// Distribution-aware sampling (DASM, paper Eq. 6 / Algorithm 1 lines 15–23; the official TSD-SR training script). Defaults are
/// the reference's: 4 sub-steps of 50 index units, weights (1, 0.3, 0.3, 0.3), random bias in [−25, 24]. This record is
/// also the <c>dasm</c> section of a training config file, key for key (snake_case).
/// </summary>
public sealed record DasmOptions
{
    /// <summary>
    /// Run the sub-steps. False runs one sub-step (the released script's <c>total_step = 1</c>) and keeps the other
    /// settings, so a recipe can switch DASM on for a later stage without restating them.
    /// </summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Number of sub-steps N when <see cref="Enabled"/> (the reference's <c>total_step</c>; 1 also turns DASM off).</summary>
    public int SubSteps { get; init; } = 4;

    /// <summary>The sub-steps actually run: <see cref="SubSteps"/> when <see cref="Enabled"/>, else 1.</summary>
    [JsonIgnore]
    public int ActiveSubSteps => Enabled ? SubSteps : 1;

    /// <summary>Sub-step size s in schedule-index units.</summary>
    public int StepSize { get; init; } = 50;

    /// <summary>Score weight of each sub-step (w_k); at least <see cref="SubSteps"/> values.</summary>
    public IReadOnlyList<double> StepWeights { get; init; } = [1.0, 0.3, 0.3, 0.3];

    /// <summary>Add a random bias in [<see cref="BiasMin"/>, <see cref="BiasMax"/>] to the right end (<c>--use_random_bias</c>).</summary>
    public bool UseRandomBias { get; init; } = true;

    /// <summary>Smallest bias (inclusive).</summary>
    public int BiasMin { get; init; } = -25;

    /// <summary>Largest bias (inclusive; the reference's <c>randint(-25, 25)</c> excludes 25).</summary>
    public int BiasMax { get; init; } = 24;

    /// <summary>Largest schedule index the right end is clamped to (N_train − 1).</summary>
    public int MaxIndex { get; init; } = 999;

    /// <summary>Which index drives the sub-steps of a batch.</summary>
    public DasmBatchMode BatchMode { get; init; } = DasmBatchMode.PerSample;

    /// <summary>The reference with DASM off (one sub-step, <c>total_step = 1</c>), as in the released training script.</summary>
    public static DasmOptions Off { get; } = new() { Enabled = false };

    /// <summary>Checks the values fit together.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        if (SubSteps < 1)
        {
            throw new ArgumentException($"DASM sub_steps must be at least 1, got {SubSteps}.");
        }

        if (StepSize < 0)
        {
            throw new ArgumentException($"DASM step_size must not be negative, got {StepSize}.");
        }

        if (StepWeights is null || StepWeights.Count < SubSteps)
        {
            throw new ArgumentException($"DASM step_weights needs at least {SubSteps} values (one per sub-step), got {StepWeights?.Count ?? 0}.");
        }

        if (StepWeights.Any(w => !double.IsFinite(w)))
        {
            throw new ArgumentException("DASM step_weights must be finite numbers.");
        }

        if (BiasMin > BiasMax)
        {
            throw new ArgumentException($"DASM bias_min ({BiasMin}) must not exceed bias_max ({BiasMax}).");
        }

        if (MaxIndex < 1)
        {
            throw new ArgumentException($"DASM max_index must be positive, got {MaxIndex}.");
        }

        if (!Enum.IsDefined(BatchMode))
        {
            throw new ArgumentException($"Unknown DASM batch_mode {BatchMode}.");
        }
    }
}
