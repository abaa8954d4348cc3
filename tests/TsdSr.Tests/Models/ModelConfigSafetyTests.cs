using System.Text.Json.Nodes;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models;

/// <summary>Configs that load but deserve a warning, and configs whose model could never fit, refused before allocation.</summary>
public sealed class ModelConfigSafetyTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-config-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A copy of a fixture component folder with its config.json edited.</summary>
    private string CopyWithConfig(string fixture, Action<JsonObject> edit)
    {
        var source = FixturePaths.Get(fixture);
        var target = Path.Combine(dir, fixture + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(target);
        foreach (var f in Directory.GetFiles(source))
        {
            File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(target, "config.json")))!.AsObject();
        edit(config);
        File.WriteAllText(Path.Combine(target, "config.json"), config.ToJsonString());
        return target;
    }

    [Fact]
    public void Unknown_keys_and_a_wrong_class_name_are_warned_about_and_the_model_still_loads()
    {
        var folder = CopyWithConfig("sd3_transformer_tiny", c =>
        {
            c["num_layer"] = 100;
            c["_class_name"] = "UNet2DConditionModel";
        });
        var warnings = new List<string>();

        using var model = SD3Transformer2DModel.FromPretrained(folder, onWarning: warnings.Add);

        warnings.Should().HaveCount(2);
        warnings.Should().Contain(w => w.Contains("_class_name is \"UNet2DConditionModel\", expected \"SD3Transformer2DModel\"", StringComparison.Ordinal));
        warnings.Should().Contain(w => w.Contains("unknown key 'num_layer' is ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void A_vae_config_with_an_unknown_key_is_warned_about()
    {
        var folder = CopyWithConfig("sd3_vae_tiny", c => c["latent_channel"] = 4);
        var warnings = new List<string>();

        using var model = AutoencoderKL.FromPretrained(folder, onWarning: warnings.Add);

        warnings.Should().ContainSingle().Which.Should().Contain("unknown key 'latent_channel' is ignored");
    }

    [Fact]
    public void The_shipped_fixture_configs_raise_no_warning()
    {
        var warnings = new List<string>();
        SD3TransformerConfig.FromFile(FixturePaths.Get("sd35_transformer_tiny", "config.json"), warnings);
        AutoencoderKLConfig.FromFile(FixturePaths.Get("sd3_vae_tiny", "config.json"), warnings);

        warnings.Should().BeEmpty();
    }

    [Fact]
    public void A_transformer_config_with_a_hundred_thousand_layers_is_refused_from_the_headers_before_allocating()
    {
        // The tiny fixture's widths with 100000 layers would be ~20 GB: refused on any machine, whatever its memory.
        var folder = CopyWithConfig("sd3_transformer_tiny", c => c["num_layers"] = 100000);

        var act = () => SD3Transformer2DModel.FromPretrained(folder);

        act.Should().Throw<InvalidDataException>()
            .WithMessage("The config of the transformer of '*config.json' (100000 layers of width 32*) describes 3,782,423,296 values, but '*diffusion_pytorch_model.safetensors' holds *: the config does not belong to these weights. Nothing was built.");
    }

    [Fact]
    public void A_vae_config_with_huge_channels_is_refused_from_the_headers_before_allocating()
    {
        var folder = CopyWithConfig("sd3_vae_tiny", c => c["block_out_channels"] = new JsonArray(8, 16, 4_000_000));

        var act = () => AutoencoderKL.FromPretrained(folder);

        act.Should().Throw<InvalidDataException>().WithMessage("The config of the VAE of '*config.json' (block_out_channels [8, 16, 4000000]*the config does not belong to these weights*");
    }

    [Fact]
    public void Head_counts_whose_product_overflows_are_invalid()
    {
        var config = SD3TransformerConfig.Tiny with { NumAttentionHeads = 100_000, AttentionHeadDim = 100_000 };

        ((Action)config.Validate).Should().Throw<ArgumentException>().WithMessage("*overflows 32 bits*");
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("sd3")]
    public void The_vae_parameter_count_equals_the_built_model(string preset)
    {
        var config = preset == "tiny" ? AutoencoderKLConfig.Tiny : AutoencoderKLConfig.Sd3;
        using var model = new AutoencoderKL(config);

        config.ParameterCount().Should().Be(model.parameters().Sum(p => p.numel()));
        config.EstimatedBytes().Should().Be(config.ParameterCount() * 4);
    }

    [Fact]
    public void Lora_counts_cover_every_lora_capable_layer()
    {
        const int rank = 3;
        using var transformer = new SD3Transformer2DModel(SD3TransformerConfig.Tiny);
        using var vae = new AutoencoderKL(AutoencoderKLConfig.Tiny);

        long Expected(nn.Module m) => LoraAdapters.Layers(m).Sum(l => l.Layer.AdapterAShape(rank).Aggregate(1L, (a, b) => a * b) + l.Layer.AdapterBShape(rank).Aggregate(1L, (a, b) => a * b));

        SD3TransformerConfig.Tiny.LoraParameterCount(rank).Should().Be(Expected(transformer));
        AutoencoderKLConfig.Tiny.LoraParameterCount(rank).Should().Be(Expected(vae));
    }
}
