using System.Text.Json;
using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;
using TsdSr.Models.Autoencoders;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Autoencoders;

/// <summary>Alternative checkpoint layouts (sharded, legacy attention names) load into the same weights.</summary>
public sealed class AutoencoderKLLoadingTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-vae-load-").FullName;
    private readonly Dictionary<string, Tensor> weights =
        SafetensorsFile.LoadAll(FixturePaths.Get("sd3_vae_tiny", AutoencoderKL.WeightsFileName));

    public void Dispose()
    {
        foreach (var t in weights.Values)
        {
            t.Dispose();
        }

        Directory.Delete(dir, recursive: true);
    }

    private void ShouldHoldFixtureWeights(AutoencoderKL model)
    {
        var state = model.state_dict();
        state.Keys.Should().BeEquivalentTo(weights.Keys);
        foreach (var (key, expected) in weights)
        {
            state[key].allclose(expected, 0, 0).Should().BeTrue(key);
        }
    }

    [Theory]
    [InlineData("encoder.mid_block.attentions.0.query.weight", "encoder.mid_block.attentions.0.to_q.weight")]
    [InlineData("decoder.mid_block.attentions.0.key.bias", "decoder.mid_block.attentions.0.to_k.bias")]
    [InlineData("encoder.mid_block.attentions.0.value.weight", "encoder.mid_block.attentions.0.to_v.weight")]
    [InlineData("decoder.mid_block.attentions.0.proj_attn.weight", "decoder.mid_block.attentions.0.to_out.0.weight")]
    [InlineData("encoder.mid_block.attentions.0.group_norm.weight", "encoder.mid_block.attentions.0.group_norm.weight")]
    [InlineData("encoder.mid_block.attentions.0.to_q.weight", "encoder.mid_block.attentions.0.to_q.weight")]
    [InlineData("encoder.down_blocks.0.resnets.0.conv1.weight", "encoder.down_blocks.0.resnets.0.conv1.weight")]
    [InlineData("quant_conv.weight", "quant_conv.weight")]
    public void Legacy_attention_names_map_to_current_names(string legacy, string current)
    {
        LegacyVaeAttentionSource.MapKey(legacy).Should().Be(current);
    }

    [Fact]
    public void Legacy_names_with_linear_or_pointwise_conv_weights_load_into_the_same_model()
    {
        var legacy = new Dictionary<string, Tensor>();
        var owned = new List<Tensor>();
        foreach (var (key, t) in weights)
        {
            var name = key.Replace(".to_q.", ".query.").Replace(".to_k.", ".key.").Replace(".to_v.", ".value.").Replace(".to_out.0.", ".proj_attn.");
            var value = t;
            if (name != key && key.StartsWith("encoder.", StringComparison.Ordinal) && t.dim() == 2)
            {
                value = t.reshape(t.shape[0], t.shape[1], 1, 1); // LDM-style 1×1 conv weights
                owned.Add(value);
            }

            legacy[name] = value;
        }

        var path = Path.Combine(dir, "legacy.safetensors");
        SafetensorsWriter.Save(path, legacy);
        owned.ForEach(t => t.Dispose());

        using var model = new AutoencoderKL(AutoencoderKLConfig.Tiny);
        using (var plain = SafetensorsFile.Open(path))
        {
            FluentActions.Invoking(() => model.LoadWeights(plain)).Should().Throw<WeightLoadException>("the legacy names are not module keys");
        }

        using var source = new LegacyVaeAttentionSource(SafetensorsFile.Open(path));
        source.Tensors["encoder.mid_block.attentions.0.to_q.weight"].Shape.Should().Equal(16, 16);
        model.LoadWeights(source).IsExact.Should().BeTrue();
        ShouldHoldFixtureWeights(model);
    }

    [Fact]
    public void A_sharded_checkpoint_loads_through_its_index()
    {
        var keys = weights.Keys.Order(StringComparer.Ordinal).ToList();
        var first = keys.Take(keys.Count / 2).ToList();
        SafetensorsWriter.Save(Path.Combine(dir, "shard-1.safetensors"), first.Select(k => KeyValuePair.Create(k, weights[k])));
        SafetensorsWriter.Save(Path.Combine(dir, "shard-2.safetensors"), keys.Skip(first.Count).Select(k => KeyValuePair.Create(k, weights[k])));
        var map = keys.ToDictionary(k => k, k => first.Contains(k) ? "shard-1.safetensors" : "shard-2.safetensors");
        File.WriteAllText(Path.Combine(dir, AutoencoderKL.WeightsIndexFileName), JsonSerializer.Serialize(new { metadata = new { }, weight_map = map }));
        File.Copy(FixturePaths.Get("sd3_vae_tiny", "config.json"), Path.Combine(dir, "config.json"));

        using var model = AutoencoderKL.FromPretrained(dir);
        ShouldHoldFixtureWeights(model);
    }

    [Fact]
    public void A_pipeline_root_with_a_vae_subfolder_is_accepted()
    {
        var vae = Directory.CreateDirectory(Path.Combine(dir, "vae")).FullName;
        foreach (var file in new[] { "config.json", AutoencoderKL.WeightsFileName })
        {
            File.Copy(FixturePaths.Get("sd3_vae_tiny", file), Path.Combine(vae, file));
        }

        using var model = AutoencoderKL.FromPretrained(dir);
        model.Config.Should().Be(AutoencoderKLConfig.Tiny);
        ShouldHoldFixtureWeights(model);
    }
}
