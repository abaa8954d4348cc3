using TsdSr.Data.Random;

namespace TsdSr.Tests.Data.Random;

public class CounterRngTests
{
    [Fact]
    public void Same_seed_and_stream_give_the_same_draws_and_other_streams_differ()
    {
        var a = new CounterRng(42, 7);
        var b = new CounterRng(42, 7);
        var c = new CounterRng(42, 8);
        var da = Enumerable.Range(0, 16).Select(_ => a.NextUInt64()).ToArray();
        Enumerable.Range(0, 16).Select(_ => b.NextUInt64()).Should().Equal(da);
        Enumerable.Range(0, 16).Select(_ => c.NextUInt64()).Should().NotIntersectWith(da);
    }

    [Fact]
    public void Uniform_draws_have_the_moments_of_the_unit_interval()
    {
        var rng = new CounterRng(1);
        const int n = 100_000;
        var u = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        u.Should().OnlyContain(v => v >= 0 && v < 1);
        double mean = u.Average(), variance = u.Select(v => (v - mean) * (v - mean)).Average();
        Math.Abs(mean - 0.5).Should().BeLessThan(4 * Math.Sqrt(1.0 / 12 / n));
        Math.Abs(variance - (1.0 / 12)).Should().BeLessThan(0.002);
    }

    [Fact]
    public void Choose_follows_the_weights()
    {
        var rng = new CounterRng(3);
        double[] w = [0.2, 0.0, 0.5, 0.3];
        const int n = 20_000;
        var counts = new int[4];
        for (int i = 0; i < n; i++)
        {
            counts[rng.Choose(w)]++;
        }

        counts[1].Should().Be(0);
        for (int i = 0; i < 4; i++)
        {
            Math.Abs((counts[i] / (double)n) - w[i]).Should().BeLessThanOrEqualTo(4 * Math.Sqrt(w[i] * (1 - w[i]) / n));
        }
    }

    [Fact]
    public void NextInt_covers_exactly_its_range()
    {
        var rng = new CounterRng(5);
        var seen = Enumerable.Range(0, 2000).Select(_ => rng.NextInt(8)).Distinct().Order().ToArray();
        seen.Should().Equal(0, 1, 2, 3, 4, 5, 6, 7);
    }
}
