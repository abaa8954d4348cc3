using TsdSr.Data.Degradation;

namespace TsdSr.Tests.Data.Degradation;

public sealed class DegradationConfigFileTests : IDisposable
{
    private readonly string dir = DataTestImages.TempDir();

    public void Dispose() => Directory.Delete(dir, true);

    [Fact]
    public void Preset_names_resolve_to_the_presets_and_other_values_to_files()
    {
        DegradationConfigFile.Resolve("SeeSR").Should().BeSameAs(DegradationConfig.SeeSR);
        DegradationConfigFile.Resolve("tsdsr").Should().BeSameAs(DegradationConfig.SeeSR);
        DegradationConfigFile.IsPresetName("stablesr").Should().BeTrue();
        DegradationConfigFile.IsPresetName("my.json").Should().BeFalse();
        FluentActions.Invoking(() => DegradationConfigFile.Resolve(Path.Combine(dir, "none.json")))
            .Should().Throw<FileNotFoundException>().WithMessage("*none.json*not a preset*osediff*");
    }

    [Fact]
    public void A_file_lists_only_what_differs_from_the_record_defaults_in_snake_case()
    {
        var path = Path.Combine(dir, "mild.json");
        File.WriteAllText(path, """
            {
              // milder second stage, choices per batch
              "name": "mild",
              "granularity": "per_batch",
              "sharpen_ground_truth": true,
              "second": { "blur_probability": 0.25, "jpeg_quality": { "min": 70, "max": 95 } },
              "first": { "blur": { "types": { "isotropic": 1, "anisotropic": 0, "generalized_isotropic": 0,
                                              "generalized_anisotropic": 0, "plateau_isotropic": 0, "plateau_anisotropic": 0 } } },
            }
            """);

        var c = DegradationConfigFile.Load(path);

        c.Name.Should().Be("mild");
        c.Granularity.Should().Be(RandomnessGranularity.PerBatch);
        c.SharpenGroundTruth.Should().BeTrue();
        c.Second.BlurProbability.Should().Be(0.25);
        c.Second.JpegQuality.Should().Be(new ValueRange(70, 95));
        c.First.Blur.Types.Isotropic.Should().Be(1);
        var defaults = new DegradationConfig();
        c.First.Noise.Should().Be(defaults.First.Noise, "keys left out keep the defaults");
        c.Second.Resize.Should().BeEquivalentTo(defaults.Second.Resize, o => o.ComparingByMembers<ResizeConfig>(), "a partial stage keeps the base's other values of that stage");
        c.Second.Noise.Should().Be(defaults.Second.Noise);
        c.Scale.Should().Be(defaults.Scale);
    }

    [Fact]
    public void A_file_can_start_from_a_named_preset()
    {
        var c = DegradationConfigFile.Parse("""{ "preset": "stablesr", "name": "stablesr-light", "first": { "noise": { "gray_probability": 0 } } }""");

        c.Name.Should().Be("stablesr-light");
        c.First.Noise.GrayProbability.Should().Be(0);
        c.First.Noise.Sigma.Should().Be(DegradationConfig.StableSR.First.Noise.Sigma, "the rest of the stage comes from the preset");
        c.Should().BeEquivalentTo(
            DegradationConfig.StableSR with { Name = "stablesr-light", First = DegradationConfig.StableSR.First with { Noise = DegradationConfig.StableSR.First.Noise with { GrayProbability = 0 } } },
            o => o.ComparingByMembers<DegradationConfig>().ComparingByMembers<DegradationStageConfig>().ComparingByMembers<ResizeConfig>()
                .ComparingByMembers<BlurConfig>().ComparingByMembers<NoiseConfig>().ComparingByMembers<KernelTypeProbabilities>());
        FluentActions.Invoking(() => DegradationConfigFile.Parse("""{ "preset": "bsrgan" }""", "d.json"))
            .Should().Throw<ArgumentException>().WithMessage("d.json: *bsrgan*");
    }

    [Fact]
    public void The_example_file_in_docs_loads_over_its_preset()
    {
        var c = DegradationConfigFile.Resolve(Path.Combine(TsdSr.Tests.Training.TrainingTestSupport.RepoRoot(), "docs", "degradation-config.example.json"));

        (c.Name, c.Granularity, c.SharpenGroundTruth).Should().Be(("seesr-mild-noise", RandomnessGranularity.PerSample, true));
        c.First.Noise.Sigma.Should().Be(new ValueRange(1, 15));
        c.Second.BlurProbability.Should().Be(0.5);
        c.Second.Noise.Should().Be(DegradationConfig.SeeSR.Second.Noise);
    }

    [Fact]
    public void Unknown_keys_and_invalid_values_are_errors_naming_the_key()
    {
        FluentActions.Invoking(() => DegradationConfigFile.Parse("""{ "first": { "blurr": {} } }""", "d.json"))
            .Should().Throw<ArgumentException>().WithMessage("d.json: first*blurr*");
        FluentActions.Invoking(() => DegradationConfigFile.Parse("""{ "first": { "blurr": {} }, "scael": 4 }""", "d.json"))
            .Should().Throw<ArgumentException>().WithMessage("d.json: first.blurr: unknown key in 'first' (did you mean 'blur'?). scael: unknown key at the top level (did you mean 'scale'?).*");
        FluentActions.Invoking(() => DegradationConfigFile.Parse("""{ "second": { "jpeg_quality": { "min": 95, "max": 30 } } }""", "d.json"))
            .Should().Throw<ArgumentException>().WithMessage("d.json: Second.JpegQuality = [95, 30]*");
        FluentActions.Invoking(() => DegradationConfigFile.Parse("""{ "granularity": "per_pixel" }""", "d.json"))
            .Should().Throw<ArgumentException>().WithMessage("d.json: granularity*");
    }
}
