using TsdSr.Data.Degradation.Operators;

namespace TsdSr.Tests.Data.Degradation.Operators;

public class QuantizerTests
{
    [Fact]
    public void Values_become_clamped_multiples_of_one_255th()
    {
        using var x = tensor(new float[] { -0.2f, 0.1f / 255, 0.6f / 255, 127.3f / 255, 1.3f });
        using var y = Quantizer.To8Bit(x);
        using var levels = (y * 255f).round();
        levels.data<float>().ToArray().Should().Equal(0f, 0f, 1f, 127f, 255f);
    }
}
