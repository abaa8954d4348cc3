using TsdSr.Models.Autoencoders;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Autoencoders;

/// <summary>VAE config parsing, presets and validation.</summary>
public class AutoencoderKLConfigTests
{
    [Fact]
    public void Fixture_config_parses_to_the_Tiny_preset()
    {
        var c = AutoencoderKLConfig.FromFile(FixturePaths.Get("sd3_vae_tiny", "config.json"));
        c.Should().Be(AutoencoderKLConfig.Tiny);
        c.BlockOutChannels.Should().Equal(8, 16, 16);
        c.LatentChannels.Should().Be(16);
        c.ScalingFactor.Should().Be(1.5305);
        c.ShiftFactor.Should().Be(0.0609);
        c.LatentsMean.Should().BeNull();
        c.UseQuantConv.Should().BeFalse();
        c.DownsampleFactor.Should().Be(4);
    }

    [Fact]
    public void Sd3_preset_has_the_official_values()
    {
        var c = AutoencoderKLConfig.Sd3;
        c.BlockOutChannels.Should().Equal(128, 256, 512, 512);
        c.LatentChannels.Should().Be(16);
        c.LayersPerBlock.Should().Be(2);
        c.NormNumGroups.Should().Be(32);
        c.ScalingFactor.Should().Be(1.5305);
        c.ShiftFactor.Should().Be(0.0609);
        c.UseQuantConv.Should().BeFalse();
        c.UsePostQuantConv.Should().BeFalse();
        c.MidBlockAddAttention.Should().BeTrue();
        c.DownsampleFactor.Should().Be(8);
    }

    [Fact]
    public void Unknown_keys_are_ignored_and_absent_keys_take_diffusers_defaults()
    {
        var c = AutoencoderKLConfig.FromJson("""{"_class_name": "AutoencoderKL", "foo": {"bar": 1}, "latents_mean": [0.5, 1], "sample_size": [64, 32]}""");
        c.LatentChannels.Should().Be(4);
        c.ScalingFactor.Should().Be(0.18215);
        c.ShiftFactor.Should().BeNull();
        c.UseQuantConv.Should().BeTrue();
        c.LatentsMean.Should().Equal(0.5, 1.0);
        c.SampleSize.Should().Be(64);
    }

    [Theory]
    [InlineData("""{"layers_per_block": "2"}""", "*layers_per_block*")]
    [InlineData("""{"block_out_channels": [8, 1.5]}""", "*block_out_channels*")]
    [InlineData("""{"down_block_types": "DownEncoderBlock2D"}""", "*down_block_types*")]
    [InlineData("""{"use_quant_conv": 0}""", "*use_quant_conv*")]
    [InlineData("""{"latents_mean": ["a"]}""", "*latents_mean*")]
    [InlineData("""[1, 2]""", "*object*")]
    [InlineData("""{"a": """, "*invalid JSON*")]
    public void Wrong_types_and_bad_json_raise_format_errors_naming_the_key(string json, string message)
    {
        FluentActions.Invoking(() => AutoencoderKLConfig.FromJson(json, "vae/config.json"))
            .Should().Throw<FormatException>().WithMessage(message).WithMessage("vae/config.json*");
    }

    [Fact]
    public void Invalid_configs_are_rejected_before_building()
    {
        var bad = new[]
        {
            AutoencoderKLConfig.Tiny with { DownBlockTypes = ["DownEncoderBlock2D", "CrossAttnDownBlock2D", "DownEncoderBlock2D"] },
            AutoencoderKLConfig.Tiny with { UpBlockTypes = ["UpDecoderBlock2D"] },
            AutoencoderKLConfig.Tiny with { NormNumGroups = 3 },
            AutoencoderKLConfig.Tiny with { ActFn = "tanh" },
            AutoencoderKLConfig.Tiny with { LayersPerBlock = 0 },
            AutoencoderKLConfig.Tiny with { BlockOutChannels = [] },
        };
        foreach (var config in bad)
        {
            FluentActions.Invoking(() => new AutoencoderKL(config)).Should().Throw<ArgumentException>().WithMessage("Invalid AutoencoderKL config*");
        }

        FluentActions.Invoking(() => AutoencoderKLConfig.FromFile("/nonexistent/config.json")).Should().Throw<FileNotFoundException>();
    }
}
