using TsdSr.Training.Dasm;
using TsdSr.Training.Randomness;

namespace TsdSr.Tests.Training.Dasm;

public sealed class TeacherIndexSamplerTests
{
    [Fact]
    public void Indices_lie_in_50_to_949_per_sample_and_repeat_with_the_seed()
    {
        var sampler = new TeacherIndexSampler();
        using var g1 = new SeededGenerator(11);
        using var g2 = new SeededGenerator(11);
        var a = Enumerable.Range(0, 500).SelectMany(_ => sampler.SampleArray(g1, 8)).ToList();
        var b = Enumerable.Range(0, 500).SelectMany(_ => sampler.SampleArray(g2, 8)).ToList();
        a.Should().Equal(b);
        a.Min().Should().Be(50);
        a.Max().Should().Be(949);
        sampler.SampleArray(g1, 8).Distinct().Count().Should().BeGreaterThan(1, "each sample draws its own index");
    }

    [Fact]
    public void An_empty_range_is_rejected()
    {
        FluentActions.Invoking(() => new TeacherIndexSampler(10, 10)).Should().Throw<ArgumentException>();
    }
}
