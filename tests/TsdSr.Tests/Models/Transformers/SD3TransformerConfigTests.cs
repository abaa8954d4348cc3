using TsdSr.Models.Transformers;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Transformers;

/// <summary>Config parsing, validation and presets.</summary>
public class SD3TransformerConfigTests
{
    private const string Sd3MediumJson = """
        {
          "_class_name": "SD3Transformer2DModel",
          "_diffusers_version": "0.29.0.dev0",
          "attention_head_dim": 64,
          "caption_projection_dim": 1536,
          "in_channels": 16,
          "joint_attention_dim": 4096,
          "num_attention_heads": 24,
          "num_layers": 24,
          "out_channels": 16,
          "patch_size": 2,
          "pooled_projection_dim": 2048,
          "pos_embed_max_size": 192,
          "sample_size": 128
        }
        """;

    [Fact]
    public void The_sd3_fixture_config_is_the_tiny_preset()
    {
        SD3TransformerConfig.FromFile(FixturePaths.Get("sd3_transformer_tiny", "config.json")).Should().Be(SD3TransformerConfig.Tiny);
    }

    [Fact]
    public void The_sd35_fixture_config_adds_one_dual_attention_layer_and_rms_qk_norm()
    {
        var config = SD3TransformerConfig.FromFile(FixturePaths.Get("sd35_transformer_tiny", "config.json"));

        config.Should().Be(SD3TransformerConfig.Tiny with { DualAttentionLayers = [0], QkNorm = "rms_norm" });
        config.IsDualAttentionLayer(0).Should().BeTrue();
        config.IsDualAttentionLayer(1).Should().BeFalse();
        config.UsesRmsQkNorm.Should().BeTrue();
    }

    [Fact]
    public void The_official_sd3_medium_config_without_sd35_keys_is_the_sd3_medium_preset()
    {
        SD3TransformerConfig.FromJson(Sd3MediumJson).Should().Be(SD3TransformerConfig.Sd3Medium);
    }

    [Fact]
    public void Sd3_medium_has_2_028_328_000_parameters()
    {
        SD3TransformerConfig.Sd3Medium.ParameterCount().Should().Be(2_028_328_000);
        SD3TransformerConfig.Sd3Medium.InnerDim.Should().Be(1536);
    }

    [Fact]
    public void Sd35_medium_preset_has_13_mmditx_blocks_rms_qk_norm_and_a_384_position_table()
    {
        var config = SD3TransformerConfig.Sd35Medium;

        config.Validate();
        config.PosEmbedMaxSize.Should().Be(384);
        config.DualAttentionLayers.Should().Equal(Enumerable.Range(0, 13));
        config.QkNorm.Should().Be("rms_norm");
        config.ParameterCount(includePositionTable: true).Should().BeInRange(2_400_000_000, 2_550_000_000, "SD3.5-medium is the '2.5B' model");
    }

    [Fact]
    public void Null_out_channels_means_in_channels_and_unknown_keys_are_ignored()
    {
        var json = Sd3MediumJson.Replace("\"out_channels\": 16", "\"out_channels\": null, \"some_future_key\": [1, 2]");

        SD3TransformerConfig.FromJson(json).OutChannels.Should().Be(16);
    }

    [Theory]
    [InlineData("\"num_layers\": 24,", "*'num_layers'*missing*")]
    [InlineData("\"num_layers\": 24,", "*'num_layers'*integer*", "\"num_layers\": \"24\",")]
    [InlineData("\"num_layers\": 24,", "*'num_layers'*integer*", "\"num_layers\": 2.5,")]
    [InlineData("\"caption_projection_dim\": 1536,", "*caption_projection_dim (1000) must equal*", "\"caption_projection_dim\": 1000,")]
    [InlineData("\"num_layers\": 24,", "*qk_norm 'layer_norm' is not supported*", "\"num_layers\": 24, \"qk_norm\": \"layer_norm\",")]
    [InlineData("\"num_layers\": 24,", "*dual_attention_layers contains 24*", "\"num_layers\": 24, \"dual_attention_layers\": [0, 24],")]
    [InlineData("\"num_layers\": 24,", "*'dual_attention_layers' must be a list*", "\"num_layers\": 24, \"dual_attention_layers\": 3,")]
    [InlineData("\"patch_size\": 2,", "*patch_size must be positive*", "\"patch_size\": 0,")]
    public void A_missing_or_wrong_value_is_reported_with_its_key(string find, string message, string replacement = "")
    {
        var json = Sd3MediumJson.Replace(find, replacement);

        var parse = () => SD3TransformerConfig.FromJson(json, "transformer/config.json");

        parse.Should().Throw<FormatException>().WithMessage("transformer/config.json: " + message);
    }

    [Fact]
    public void Invalid_json_is_a_format_error()
    {
        var parse = () => SD3TransformerConfig.FromJson("{ not json", "x.json");

        parse.Should().Throw<FormatException>().WithMessage("x.json: not valid JSON*");
    }

    [Fact]
    public void A_config_built_in_code_is_validated_when_the_model_is_built()
    {
        var build = () => new SD3Transformer2DModel(SD3TransformerConfig.Tiny with { CaptionProjectionDim = 48 });

        build.Should().Throw<ArgumentException>().WithMessage("*caption_projection_dim*");
    }

    [Fact]
    public void The_text_form_lists_every_field_with_its_diffusers_name()
    {
        SD3TransformerConfig.Sd35Medium.ToString().Should().Contain("pos_embed_max_size = 384").And.Contain("dual_attention_layers = [0, 1, 2,").And.Contain("qk_norm = rms_norm");
    }
}
