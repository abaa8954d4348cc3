using TsdSr.Data.Degradation;

namespace TsdSr.Tests.Data.Degradation;

public class DegradationConfigTests
{
    [Fact]
    public void Presets_are_valid_and_found_by_name()
    {
        foreach (var name in DegradationConfig.PresetNames)
        {
            var config = DegradationConfig.FromName(name.ToUpperInvariant());
            config.Name.Should().Be(name);
            config.Validate().Should().BeSameAs(config);
        }

        var act = () => DegradationConfig.FromName("bsrgan");
        act.Should().Throw<ArgumentException>().WithMessage("*bsrgan*osediff*");
    }

    [Fact]
    public void The_default_is_osediff_with_the_x4plus_numbers()
    {
        var c = new DegradationConfig();
        DegradationConfig.OSEDiff.Name.Should().Be(c.Name);
        c.Scale.Should().Be(4);
        c.SharpenGroundTruth.Should().BeFalse();
        c.Granularity.Should().Be(RandomnessGranularity.PerSample);
        c.First.Blur.Sigma.Should().Be(new ValueRange(0.2, 3));
        c.First.Resize.Scale.Should().Be(new ValueRange(0.15, 1.5));
        c.First.Noise.Sigma.Should().Be(new ValueRange(1, 30));
        c.Second.BlurProbability.Should().Be(0.8);
        c.Second.Blur.Sigma.Should().Be(new ValueRange(0.2, 1.5));
        c.Second.Resize.Scale.Should().Be(new ValueRange(0.3, 1.2));
        c.Second.Noise.PoissonScale.Should().Be(new ValueRange(0.05, 2.5));
        c.FinalSincProbability.Should().Be(0.8);
    }

    [Fact]
    public void StableSR_is_the_milder_parameter_set()
    {
        var c = DegradationConfig.StableSR;
        c.First.JpegQuality.Should().Be(new ValueRange(60, 95));
        c.Second.JpegQuality.Should().Be(new ValueRange(60, 100));
        c.First.Noise.Sigma.Should().Be(new ValueRange(1, 15));
        c.Second.BlurProbability.Should().Be(0.5);
        c.Second.Resize.Scale.Should().Be(new ValueRange(0.6, 1.2));
        c.NoDegradationProbability.Should().Be(0.01);
        DegradationConfig.RealEsrgan.SharpenGroundTruth.Should().BeTrue();
        DegradationConfig.SeeSR.SharpenGroundTruth.Should().BeTrue();
    }

    public static TheoryData<DegradationConfig, string> InvalidConfigs() => new()
    {
        { DegradationConfig.OSEDiff with { Scale = 3 }, "Scale" },
        { DegradationConfig.OSEDiff with { FinalSincProbability = 1.2 }, "FinalSincProbability" },
        { DegradationConfig.OSEDiff with { First = new DegradationStageConfig { Blur = new BlurConfig { MaxKernelSize = 20 } } }, "First.Blur" },
        { DegradationConfig.OSEDiff with { First = new DegradationStageConfig { Blur = new BlurConfig { Sigma = new(3, 0.2) } } }, "First.Blur.Sigma" },
        { DegradationConfig.OSEDiff with { First = new DegradationStageConfig { Blur = new BlurConfig { Types = new(0.5, 0.5, 0.5, 0, 0, 0) } } }, "First.Blur.Types" },
        { DegradationConfig.OSEDiff with { Second = new DegradationStageConfig { Resize = new ResizeConfig { UpProbability = 0.5 } } }, "Second.Resize" },
        { DegradationConfig.OSEDiff with { Second = new DegradationStageConfig { Resize = new ResizeConfig { Scale = new(1.1, 1.5) } } }, "Second.Resize" },
        { DegradationConfig.OSEDiff with { Second = new DegradationStageConfig { JpegQuality = new(0, 95) } }, "Second.JpegQuality" },
        { DegradationConfig.OSEDiff with { Second = new DegradationStageConfig { Noise = new NoiseConfig { GrayProbability = -0.1 } } }, "Second.Noise.GrayProbability" },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Invalid_settings_are_rejected_by_name(DegradationConfig config, string name)
    {
        var act = () => config.Validate();
        act.Should().Throw<ArgumentException>().WithMessage($"*{name}*");
    }
}
