using TsdSr.Evaluation.NoReference;
using TsdSr.Imaging;
using Xunit.Abstractions;

namespace TsdSr.Tests.Evaluation.NoReference;

public class NiqeTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(EvaluationData.ImageNames), MemberType = typeof(EvaluationData))]
    public void Matches_pyiqa_niqe_of_each_realsr_sr_image_within_0_02(string name)
    {
        using var niqe = new Niqe();
        double value = niqe.Compute(EvaluationData.Sr(name));
        double err = Math.Abs(value - EvaluationData.Expected(name, "niqe"));
        output.WriteLine($"NIQE {name}: {value:F6} |error| {err:E3}");
        err.Should().BeLessThan(0.02);
    }

    [Fact]
    public void Embedded_pristine_model_equals_the_shipped_json()
    {
        var file = NiqeModel.Load(Path.Combine(EvaluationData.Root, "niqe", "niqe_pris_params.json"));
        NiqeModel.Default.Mean.Should().Equal(file.Mean);
        NiqeModel.Default.Covariance.Cast<double>().Should().Equal(file.Covariance.Cast<double>());
    }

    [Fact]
    public void Images_smaller_than_one_block_are_rejected()
    {
        using var niqe = new Niqe();
        var act = () => niqe.Compute(new RgbImage(95, 200, new byte[95 * 200 * 3]));
        act.Should().Throw<ArgumentException>().WithMessage("*96x96*95x200*");
    }
}
