namespace TsdSr.Losses.FakeScore;

/// <summary>Draws per-sample schedule indices (deterministic for a seeded generator).</summary>
public static class TimestepSampler
{
    /// <summary>Draws <paramref name="batch"/> indices in [0, <paramref name="numTrainTimesteps"/>).</summary>
    /// <param name="sampling">The distribution.</param>
    /// <param name="batch">Number of indices.</param>
    /// <param name="numTrainTimesteps">Schedule length N (1000 for SD3).</param>
    /// <param name="options">Range, logit-normal and mode parameters; null = the reference.</param>
    /// <param name="generator">Random source, or null for the global one.</param>
    /// <returns>A new int64 CPU tensor [B] the caller owns.</returns>
    /// <exception cref="ArgumentException">Unknown sampling or invalid options.</exception>
    public static Tensor Sample(TimestepSampling sampling, long batch, int numTrainTimesteps, FakeScoreLossOptions? options = null, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1L);
        options ??= FakeScoreLossOptions.Reference;
        options.Validate(numTrainTimesteps);
        using var scope = NewDisposeScope();
        Tensor u;
        switch (sampling)
        {
            case TimestepSampling.UniformIndexRange:
                return randint(options.MinIndex, options.MaxIndex, [batch], dtype: ScalarType.Int64, generator: generator).MoveToOuterDisposeScope();
            case TimestepSampling.LogitNormal:
                u = randn([batch], ScalarType.Float32, generator: generator).mul(options.LogitStd).add(options.LogitMean).sigmoid();
                break;
            case TimestepSampling.Mode:
                u = ModeTransform(rand([batch], ScalarType.Float32, generator: generator), options.ModeScale);
                break;
            case TimestepSampling.Uniform:
                u = rand([batch], ScalarType.Float32, generator: generator);
                break;
            default:
                throw new ArgumentException($"Unknown timestep sampling {sampling}.", nameof(sampling));
        }

        // diffusers: indices = (u * N).long(); clamp guards u = 1 exactly and the mode transform's edges.
        return u.mul(numTrainTimesteps).to(ScalarType.Int64).clamp(0, numTrainTimesteps - 1).MoveToOuterDisposeScope();
    }

    /// <summary>The <c>mode</c> transform 1 − u − s·(cos²(πu/2) − 1 + u) (diffusers density and the reference weighting).</summary>
    /// <returns>A new tensor the caller owns.</returns>
    public static Tensor ModeTransform(Tensor u, double modeScale)
    {
        ArgumentNullException.ThrowIfNull(u);
        using var scope = NewDisposeScope();
        var cos2 = u.mul(Math.PI / 2).cos().square();
        return u.neg().add(1.0).sub(cos2.sub(1.0).add(u).mul(modeScale)).MoveToOuterDisposeScope();
    }
}
