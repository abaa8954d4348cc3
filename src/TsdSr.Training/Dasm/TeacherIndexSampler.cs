using TsdSr.Training.Randomness;
using static TorchSharp.torch;

namespace TsdSr.Training.Dasm;

/// <summary>
/// Draws the teacher's schedule index per sample: <c>randint(50, 950, (bsz,))</c>, i.e. idx ∈ [50, 949], σ ∈
/// [0.1388, 0.9828] (tsdsr-reference §3.5 step 3). The same draw serves the fake-score update (step 10).
/// </summary>
public sealed class TeacherIndexSampler
{
    /// <summary>Creates a sampler for indices in [<paramref name="low"/>, <paramref name="highExclusive"/>).</summary>
    /// <exception cref="ArgumentException">The range is empty or negative.</exception>
    public TeacherIndexSampler(int low = 50, int highExclusive = 950)
    {
        if (low < 0 || highExclusive <= low)
        {
            throw new ArgumentException($"Teacher index range [{low}, {highExclusive}) must be non-empty and non-negative.");
        }

        Low = low;
        HighExclusive = highExclusive;
    }

    /// <summary>Smallest index (inclusive).</summary>
    public int Low { get; }

    /// <summary>Upper bound (exclusive).</summary>
    public int HighExclusive { get; }

    /// <summary>One index per sample (int64 [batch], CPU).</summary>
    public Tensor Sample(SeededGenerator generator, int batch)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        return generator.RandInt(Low, HighExclusive, batch);
    }

    /// <summary>The same draw as plain numbers.</summary>
    public long[] SampleArray(SeededGenerator generator, int batch)
    {
        using var t = Sample(generator, batch);
        return t.data<long>().ToArray();
    }
}
