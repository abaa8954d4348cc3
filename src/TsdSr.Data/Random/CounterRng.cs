namespace TsdSr.Data.Random;

/// <summary>
/// A small keyed, counter-based random number generator: draw <c>n</c> of a stream is a pure function of
/// (seed, stream, n) built from SplitMix64 integer mixing. It uses no global state and no platform RNG, so the same
/// seed gives the same draws on every machine and thread schedule, and any draw can be computed independently
/// (which lets noise fields be filled in parallel without changing their values).
/// </summary>
public sealed class CounterRng
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong counter;

    /// <summary>Creates the generator for one (seed, stream) pair.</summary>
    public CounterRng(ulong seed, ulong stream = 0)
    {
        Key = DeriveKey(seed, stream);
    }

    private CounterRng(ulong key, bool _)
    {
        Key = key;
    }

    /// <summary>The key that, with a counter, defines every draw of this generator.</summary>
    public ulong Key { get; }

    /// <summary>Combines a seed and a stream number into an independent key.</summary>
    public static ulong DeriveKey(ulong seed, ulong stream) => Mix(Mix(seed) ^ Mix(stream + Golden));

    /// <summary>The SplitMix64 finaliser: a bijective, well-avalanching 64-bit mix.</summary>
    public static ulong Mix(ulong z)
    {
        z += Golden;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Draw <paramref name="index"/> of the stream with key <paramref name="key"/>.</summary>
    public static ulong Hash(ulong key, ulong index) => Mix(key ^ Mix(index * Golden));

    /// <summary>Uniform double in [0, 1) with 53 random bits from one 64-bit draw.</summary>
    public static double ToUnitDouble(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    /// <summary>A child generator with its own key, independent of this one's draws.</summary>
    public CounterRng Fork(ulong stream) => new(DeriveKey(Key, stream), true);

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64() => Hash(Key, counter++);

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => ToUnitDouble(NextUInt64());

    /// <summary>Uniform double in [<paramref name="min"/>, <paramref name="max"/>) (exactly min when min == max).</summary>
    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform integer in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (int)(((NextUInt64() >> 32) * (ulong)count) >> 32);
    }

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Bernoulli(double probability) => NextDouble() < probability;

    /// <summary>Index i with probability weights[i] / sum(weights).</summary>
    public int Choose(IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        double total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        double u = NextDouble() * total;
        double acc = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            acc += weights[i];
            if (u < acc)
            {
                return i;
            }
        }

        // Rounding can leave u == total: the last non-zero weight owns it.
        for (int i = weights.Count - 1; i >= 0; i--)
        {
            if (weights[i] > 0)
            {
                return i;
            }
        }

        throw new ArgumentException("All weights are zero.", nameof(weights));
    }
}
