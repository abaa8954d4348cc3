namespace TsdSr.Losses.Scores;

/// <summary>Classifier-free guidance settings (reference: scale 7.5 for the teacher on both branches and the fake score).</summary>
public sealed record GuidanceOptions
{
    /// <summary>The reference defaults: scale 7.5, separate uncond / cond passes.</summary>
    public static GuidanceOptions Reference { get; } = new();

    /// <summary>Guidance scale s in v = v_uncond + s·(v_cond − v_uncond); 7.5 in the reference (issue #4).</summary>
    public double Scale { get; init; } = 7.5;

    /// <summary>How the two passes are batched.</summary>
    public CfgBatching Batching { get; init; } = CfgBatching.Separate;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">The scale is not finite or the batching mode is unknown.</exception>
    public void Validate()
    {
        if (!double.IsFinite(Scale))
        {
            throw new ArgumentException($"Guidance scale must be finite, got {Scale}.", nameof(Scale));
        }

        if (!Enum.IsDefined(Batching))
        {
            throw new ArgumentException($"Unknown CFG batching mode {Batching}.", nameof(Batching));
        }
    }
}
