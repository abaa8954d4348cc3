using TsdSr.Models.Transformers;

namespace TsdSr.Tests.Models.Transformers;

/// <summary>The transformer config written as diffusers' <c>config.json</c>, and the nano preset.</summary>
public class SD3TransformerConfigWritingTests
{
    public static TheoryData<string> Presets => new() { "sd3-medium", "sd35-medium", "tiny", "nano" };

    [Theory]
    [MemberData(nameof(Presets))]
    public void A_written_config_reads_back_equal(string name)
    {
        var config = name switch
        {
            "sd3-medium" => SD3TransformerConfig.Sd3Medium,
            "sd35-medium" => SD3TransformerConfig.Sd35Medium,
            "tiny" => SD3TransformerConfig.Tiny,
            _ => SD3TransformerConfig.Nano,
        };

        var json = config.ToJson();

        json.Should().Contain("\"_class_name\": \"SD3Transformer2DModel\"");
        SD3TransformerConfig.FromJson(json).Should().Be(config);
    }

    [Fact]
    public void The_nano_preset_takes_the_nano_vae_latent_in_patch_4_tokens()
    {
        var c = SD3TransformerConfig.Nano;
        c.Validate();
        (c.InChannels, c.OutChannels, c.PatchSize).Should().Be((8, 8, 4));
        c.InnerDim.Should().Be(128);
        c.NumLayers.Should().Be(6);
        c.ParameterCount().Should().Be(3_496_320);
        c.ParameterCount(includePositionTable: true).Should().Be(3_496_320 + (64 * 64 * 128));
        using var model = new SD3Transformer2DModel(c);
        model.parameters().Sum(p => p.numel()).Should().Be(c.ParameterCount(), "the analytic count describes the built model");
    }
}
