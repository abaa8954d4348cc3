using TsdSr.Training.Randomness;

namespace TsdSr.Tests.Training.Randomness;

public sealed class SeededGeneratorTests
{
    [Fact]
    public void Restoring_a_saved_state_repeats_the_stream()
    {
        using var g = new SeededGenerator(123);
        using (g.RandN(10))
        {
        }

        var state = g.GetState();
        using var first = g.RandN(5);
        using var firstInts = g.RandInt(0, 1000, 5);
        g.SetState(state);
        using var second = g.RandN(5);
        using var secondInts = g.RandInt(0, 1000, 5);
        TrainingTestSupport.ExactlyEqual(first, second).Should().BeTrue();
        TrainingTestSupport.ExactlyEqual(firstInts, secondInts).Should().BeTrue();
    }

    [Fact]
    public void A_state_of_the_wrong_size_is_rejected()
    {
        using var g = new SeededGenerator(1);
        FluentActions.Invoking(() => g.SetState(new byte[3])).Should().Throw<ArgumentException>().WithMessage("*bytes*");
    }
}
