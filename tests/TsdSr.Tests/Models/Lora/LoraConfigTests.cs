using TsdSr.Core.SafeTensors;
using TsdSr.Models.Lora;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Lora;

/// <summary>LoraConfig matching, presets and the PEFT dict (adapter_config.json / lora_adapter_metadata).</summary>
public class LoraConfigTests
{
    [Theory]
    [InlineData("transformer_blocks.0.attn.to_q", "to_q", true)]
    [InlineData("to_q", "to_q", true)]
    [InlineData("transformer_blocks.0.attn.to_out.0", "to_out.0", true)]
    [InlineData("transformer_blocks.0.norm1.linear", "linear", true)]
    [InlineData("time_text_embed.timestep_embedder.linear_1", "linear", false)]
    [InlineData("transformer_blocks.0.attn.add_q_proj", "q_proj", false)]
    [InlineData("encoder.conv_in", "encoder.conv_in", true)]
    public void Peft_target_rule_is_equality_or_dot_suffix(string module, string target, bool expected) =>
        LoraConfig.NameMatches(module, target).Should().Be(expected);

    [Fact]
    public void String_target_modules_are_a_full_match_regex()
    {
        var config = new LoraConfig { TargetModulesRegex = @".*attn\.to_(q|k)" };
        config.Matches("transformer_blocks.3.attn.to_q").Should().BeTrue();
        config.Matches("transformer_blocks.3.attn.to_v").Should().BeFalse();
        config.Matches("transformer_blocks.3.attn.to_qx").Should().BeFalse();
    }

    [Fact]
    public void Tsdsr_vae_preset_lists_the_31_encoder_layers_plus_the_absent_quant_conv()
    {
        LoraConfig.TsdSrVaeEncoder.TargetModules.Should().HaveCount(32).And.OnlyHaveUniqueItems().And.Contain("quant_conv");
        LoraConfig.TsdSrVaeEncoder.ScalingFor("encoder.conv_in").Should().Be(1);
        LoraConfig.TsdSrTransformer.Init.Should().Be(LoraInit.Gaussian);
    }

    [Fact]
    public void Fixture_adapter_config_json_gives_rank_4_alpha_8_gaussian()
    {
        var config = LoraConfigJson.ReadFile(FixturePaths.Get("sd3_lora_tiny", "adapter_config.json"));
        config.Rank.Should().Be(4);
        config.Alpha.Should().Be(8);
        config.Init.Should().Be(LoraInit.Gaussian);
        config.UseRsLora.Should().BeFalse();
        config.TargetModules.Should().HaveCount(8).And.Contain("attn.to_out.0");
        config.ScalingFor("transformer_blocks.0.attn.to_q").Should().Be(2);
    }

    [Fact]
    public void Fixture_header_metadata_is_the_component_prefixed_config()
    {
        using var file = SafetensorsFile.Open(FixturePaths.Get("sd3_lora_tiny", "pytorch_lora_weights.safetensors"));
        var fromHeader = LoraConfigJson.Parse(file.Metadata[LoraConfigJson.MetadataKey], "transformer");
        var fromFile = LoraConfigJson.ReadFile(FixturePaths.Get("sd3_lora_tiny", "adapter_config.json"));
        fromHeader.Rank.Should().Be(fromFile.Rank);
        fromHeader.Alpha.Should().Be(fromFile.Alpha);
        fromHeader.TargetModules.Should().BeEquivalentTo(fromFile.TargetModules);
        fromHeader.Init.Should().Be(fromFile.Init);
    }

    [Fact]
    public void Written_config_parses_back_with_and_without_prefix()
    {
        var config = new LoraConfig
        {
            Rank = 16,
            Alpha = 12.5,
            TargetModules = ["to_q", "proj_out"],
            RankPattern = new Dictionary<string, int> { ["proj_out"] = 4 },
            AlphaPattern = new Dictionary<string, double> { ["to_q"] = 3 },
            UseRsLora = true,
            Init = LoraInit.Gaussian,
        };
        foreach (var prefix in new[] { "transformer", null })
        {
            var json = LoraConfigJson.Write(config, prefix);
            if (prefix is not null)
            {
                json.Should().Contain("\"transformer.lora_alpha\": 12.5").And.Contain("\"transformer.r\": 16");
            }

            var back = LoraConfigJson.Parse(json, prefix);
            back.Rank.Should().Be(16);
            back.Alpha.Should().Be(12.5);
            back.TargetModules.Should().Equal("proj_out", "to_q");
            back.RankPattern.Should().Equal(config.RankPattern);
            back.AlphaPattern.Should().Equal(config.AlphaPattern);
            back.UseRsLora.Should().BeTrue();
            back.Init.Should().Be(LoraInit.Gaussian);
        }
    }

    [Fact]
    public void Dora_configs_and_malformed_json_are_rejected_with_the_source_named()
    {
        var dora = () => LoraConfigJson.Parse("{\"r\": 4, \"use_dora\": true}", null, "my.json");
        dora.Should().Throw<NotSupportedException>().WithMessage("my.json*DoRA*");
        var bad = () => LoraConfigJson.Parse("[1,2]", null, "my.json");
        bad.Should().Throw<FormatException>().WithMessage("my.json*");
    }
}
