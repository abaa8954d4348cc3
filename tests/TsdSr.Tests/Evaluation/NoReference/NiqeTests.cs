using TsdSr.Evaluation.NoReference;
using TsdSr.Imaging;
using Xunit.Abstractions;

namespace TsdSr.Tests.Evaluation.NoReference;

public class NiqeTests(ITestOutputHelper output)
{
    [Fact]
    public void Matches_pyiqa_niqe_of_every_realsr_sr_image_within_0_02()
    {
        using var niqe = new Niqe();
        double maxErr = 0, sumErr = 0;
        foreach (var (name, scores) in EvaluationData.Scores)
        {
            double value = niqe.Compute(EvaluationData.Sr(name));
            double err = Math.Abs(value - scores["niqe"]);
            output.WriteLine($"{name}: {value:F6} vs {scores["niqe"]:F6} ({err:E2})");
            maxErr = Math.Max(maxErr, err);
            sumErr += err;
        }

        output.WriteLine($"NIQE max |error| {maxErr:E3}, mean {sumErr / EvaluationData.Scores.Count:E3}");
        maxErr.Should().BeLessThan(0.02);
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
