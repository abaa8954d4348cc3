using TsdSr.Models.Autoencoders;

namespace TsdSr.Tests.Models.Autoencoders;

/// <summary>The VAE config written as diffusers' <c>config.json</c>, and the nano preset.</summary>
public class AutoencoderKLConfigWritingTests
{
    public static TheoryData<string> Presets => new() { "sd3", "tiny", "nano" };

    [Theory]
    [MemberData(nameof(Presets))]
    public void A_written_config_reads_back_equal(string name)
    {
        var config = name switch { "sd3" => AutoencoderKLConfig.Sd3, "tiny" => AutoencoderKLConfig.Tiny, _ => AutoencoderKLConfig.Nano };
        var measured = config with { ScalingFactor = 0.7775123456789, ShiftFactor = -0.0123456789 };

        var json = measured.ToJson();

        json.Should().Contain("\"_class_name\": \"AutoencoderKL\"").And.Contain("\"scaling_factor\": 0.7775123456789");
        AutoencoderKLConfig.FromJson(json).Should().Be(measured);
    }

    [Fact]
    public void A_config_without_a_shift_writes_null_and_reads_back_null()
    {
        var config = AutoencoderKLConfig.Nano with { ShiftFactor = null, LatentsMean = [0.5, -0.25] };
        var back = AutoencoderKLConfig.FromJson(config.ToJson());
        back.ShiftFactor.Should().BeNull();
        back.LatentsMean.Should().Equal(0.5, -0.25);
    }

    [Fact]
    public void The_nano_preset_is_a_4x_eight_channel_vae_without_mid_attention()
    {
        var c = AutoencoderKLConfig.Nano;
        c.Validate();
        c.DownsampleFactor.Should().Be(4);
        c.LatentChannels.Should().Be(8);
        c.BlockOutChannels.Should().Equal(16, 32, 64);
        c.LayersPerBlock.Should().Be(1);
        c.MidBlockAddAttention.Should().BeFalse();
        c.UseQuantConv.Should().BeFalse();
        using var vae = new AutoencoderKL(c);
        vae.parameters().Sum(p => p.numel()).Should().Be(655_203, "the size docs/nano.md records (2.6 MB in fp32)");
    }
}
