using TsdSr.Core.SafeTensors;
using TsdSr.Models.Lora;

namespace TsdSr.Tests.Models.Lora;

/// <summary>Loading and saving LoRA safetensors files (PEFT / diffusers and TSD-SR formats) on the toy model.</summary>
public class LoraFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-lora-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A rank-3 LoRA for three toy layers (one conv), keys as <paramref name="name"/> writes them.</summary>
    private static Dictionary<string, Tensor> RandomLora(Func<string, string, string> name) => new()
    {
        [name("transformer_blocks.0.attn.to_q", "A")] = randn(3, 8),
        [name("transformer_blocks.0.attn.to_q", "B")] = randn(8, 3),
        [name("transformer_blocks.1.attn.to_out.0", "A")] = randn(3, 8),
        [name("transformer_blocks.1.attn.to_out.0", "B")] = randn(8, 3),
        [name("pos_embed.proj", "A")] = randn(3, 4, 2, 2),
        [name("pos_embed.proj", "B")] = randn(8, 3, 1, 1),
    };

    private static string Peft(string module, string m) => $"{module}.lora_{m}.weight";

    private string Write(string fileName, Dictionary<string, Tensor> tensors, Dictionary<string, string>? metadata = null)
    {
        var path = Path.Combine(dir, fileName);
        SafetensorsWriter.Save(path, tensors, metadata ?? new Dictionary<string, string> { ["format"] = "pt" });
        return path;
    }

    private static Tensor Param(nn.Module module, string name = "weight") =>
        module.named_parameters(false).Single(p => p.name == name).parameter;

    private static void ShouldHoldFileValues(ToyLoraModel model, string adapter, Dictionary<string, Tensor> tensors, Func<string, string, string> name)
    {
        var layers = LoraAdapters.Layers(model).ToDictionary(l => l.Name, l => l.Layer);
        foreach (var module in new[] { "transformer_blocks.0.attn.to_q", "transformer_blocks.1.attn.to_out.0", "pos_embed.proj" })
        {
            Param(layers[module].AdapterA(adapter)).SameAs(tensors[name(module, "A")]).Should().BeTrue(module);
            Param(layers[module].AdapterB(adapter)).SameAs(tensors[name(module, "B")]).Should().BeTrue(module);
        }
    }

    [Fact]
    public void Tsdsr_format_loads_on_exactly_the_named_layers_with_alpha_equal_to_rank()
    {
        string Name(string module, string m) => "transformer." + Peft(module, m);
        var tensors = RandomLora(Name);
        var path = Write("transformer.safetensors", tensors);
        using var model = new ToyLoraModel();

        var report = LoraFile.Load(model, path, "default");

        report.IsExact.Should().BeTrue();
        report.AlphaSource.Should().Be(LoraAlphaSource.Rank);
        report.Modules.Should().BeEquivalentTo("transformer_blocks.0.attn.to_q", "transformer_blocks.1.attn.to_out.0", "pos_embed.proj");
        LoraAdapters.LayersWith(model, "default").Should().BeEquivalentTo(report.Modules);
        LoraAdapters.Layers(model).Where(l => l.Layer.HasAdapter("default"))
            .Should().OnlyContain(l => l.Layer.GetSettings("default") == new LoraAdapterSettings(3, 3, false, LoraInit.Default, false));
        ShouldHoldFileValues(model, "default", tensors, Name);
        LoraAdapters.Layers(model).Single(l => l.Name == "pos_embed.proj").Layer.ActiveAdapters.Should().Equal("default");
    }

    [Fact]
    public void Raw_unprefixed_and_old_down_up_names_load_too()
    {
        string Old(string module, string m) => $"{module}.lora.{(m == "A" ? "down" : "up")}.weight";
        foreach (var name in new Func<string, string, string>[] { Peft, Old })
        {
            var tensors = RandomLora(name);
            var path = Write($"raw-{Guid.NewGuid():N}.safetensors", tensors);
            using var model = new ToyLoraModel();
            LoraFile.Load(model, path, "default").Modules.Should().HaveCount(3);
            ShouldHoldFileValues(model, "default", tensors, name);
        }
    }

    [Fact]
    public void Alpha_comes_from_header_metadata_before_an_adjacent_adapter_config()
    {
        string Name(string module, string m) => "transformer." + Peft(module, m);
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [LoraConfigJson.MetadataKey] = LoraConfigJson.Write(new LoraConfig { Rank = 3, Alpha = 6, AlphaPattern = new Dictionary<string, double> { ["pos_embed.proj"] = 1.5 } }, "transformer"),
        };
        var path = Write("pytorch_lora_weights.safetensors", RandomLora(Name), metadata);
        File.WriteAllText(Path.Combine(dir, "adapter_config.json"), "{\"r\": 3, \"lora_alpha\": 12}");

        using var model = new ToyLoraModel();
        var report = LoraFile.Load(model, path, "default");
        report.AlphaSource.Should().Be(LoraAlphaSource.Metadata);
        var layers = LoraAdapters.Layers(model).ToDictionary(l => l.Name, l => l.Layer);
        layers["transformer_blocks.0.attn.to_q"].GetSettings("default").Scaling.Should().Be(2);
        layers["pos_embed.proj"].GetSettings("default").Scaling.Should().Be(0.5);

        var noMeta = Write("adapter_model.safetensors", RandomLora(Name));
        using var model2 = new ToyLoraModel();
        var report2 = LoraFile.Load(model2, noMeta, "default");
        report2.AlphaSource.Should().Be(LoraAlphaSource.AdapterConfig);
        LoraAdapters.Layers(model2).First(l => l.Layer.HasAdapter("default")).Layer.GetSettings("default").Scaling.Should().Be(4);
    }

    [Fact]
    public void Strict_load_names_unmatched_missing_and_misshaped_keys_and_leaves_the_model_unchanged()
    {
        string Name(string module, string m) => "transformer." + Peft(module, m);
        var tensors = RandomLora(Name);
        tensors["transformer.transformer_blocks.0.ff.linear_9.lora_A.weight"] = randn(3, 8);
        tensors["transformer.transformer_blocks.0.ff.linear_9.lora_B.weight"] = randn(8, 3);
        tensors["transformer.transformer_blocks.1.attn.to_q.lora_A.weight"] = randn(3, 7);
        tensors["transformer.transformer_blocks.1.attn.to_q.lora_B.weight"] = randn(8, 3);
        tensors["transformer.transformer_blocks.0.attn.to_k.lora_A.weight"] = randn(3, 8);
        tensors["transformer.proj_out.alpha"] = tensor(3.0f);
        tensors["text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_A.weight"] = randn(3, 8);
        var path = Write("bad.safetensors", tensors);
        using var model = new ToyLoraModel();

        var act = () => LoraFile.Load(model, path, "default");
        var error = act.Should().Throw<LoraLoadException>().Which;
        error.Message.Should().Contain("transformer.transformer_blocks.0.ff.linear_9.lora_A.weight")
            .And.Contain("1 key(s) are missing from the file (their partner is present):\n  transformer.transformer_blocks.0.attn.to_k.lora_B.weight".ReplaceLineEndings())
            .And.Contain("transformer.proj_out.alpha")
            .And.Contain("transformer.transformer_blocks.1.attn.to_q.lora_A.weight: model [3, 8], file [3, 7]");
        LoraAdapters.AdapterNames(model).Should().BeEmpty();

        var report = LoraFile.Load(model, path, "default", new LoraLoadOptions { Strict = false });
        report.Modules.Should().HaveCount(3);
        report.Unmatched.Should().HaveCount(3);
        report.Missing.Should().Equal("transformer.transformer_blocks.0.attn.to_k.lora_B.weight");
        report.Mismatched.Select(m => m.Key).Should().Equal("transformer.transformer_blocks.1.attn.to_q.lora_A.weight");
        report.Ignored.Should().Equal("text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_A.weight");
        LoraAdapters.LayersWith(model, "default").Should().HaveCount(3);
    }

    [Fact]
    public void Loading_into_an_existing_adapter_name_is_refused()
    {
        var path = Write("a.safetensors", RandomLora(Peft));
        using var model = new ToyLoraModel();
        LoraFile.Load(model, path, "student");
        model.Invoking(m => LoraFile.Load(m, path, "student")).Should().Throw<ArgumentException>().WithMessage("*student*");
    }

    [Fact]
    public void Save_then_load_round_trips_tensors_ranks_alphas_and_biases_exactly()
    {
        using var model = new ToyLoraModel();
        LoraAdapters.Add(model, "teacher", LoraConfig.TsdSrTransformer with { Rank = 2, Alpha = 2, Init = LoraInit.Random });
        LoraAdapters.Add(model, "student", new LoraConfig
        {
            Rank = 3,
            Alpha = 5,
            TargetModules = ["to_q", "to_out.0", "proj"],
            RankPattern = new Dictionary<string, int> { ["proj"] = 2 },
            AlphaPattern = new Dictionary<string, double> { ["transformer_blocks.1.attn.to_q"] = 7 },
            Init = LoraInit.Random,
            LoraBias = true,
        });
        var path = Path.Combine(dir, "student.safetensors");
        LoraFile.Save(model, "student", path);

        using (var file = SafetensorsFile.Open(path))
        {
            file.Metadata.Should().Contain("format", "pt").And.ContainKey(LoraConfigJson.MetadataKey);
            file.Tensors.Keys.Should().HaveCount(15).And.Contain("transformer.pos_embed.proj.lora_A.weight")
                .And.Contain("transformer.transformer_blocks.0.attn.to_out.0.lora_B.bias");
            file.Metadata[LoraConfigJson.MetadataKey].Should().Contain("\"transformer.r\": 3");
        }

        using var fresh = new ToyLoraModel();
        var report = LoraFile.Load(fresh, path, "student");
        report.IsExact.Should().BeTrue();
        report.AlphaSource.Should().Be(LoraAlphaSource.Metadata);
        var original = LoraAdapters.Layers(model).Where(l => l.Layer.HasAdapter("student")).ToList();
        var loaded = LoraAdapters.Layers(fresh).Where(l => l.Layer.HasAdapter("student")).ToDictionary(l => l.Name, l => l.Layer);
        loaded.Keys.Should().BeEquivalentTo(original.Select(l => l.Name));
        foreach (var (name, layer) in original)
        {
            var settings = layer.GetSettings("student");
            loaded[name].GetSettings("student").Should().Be(settings, name);
            foreach (var ((pn, p), (qn, q)) in layer.AdapterParameters("student").Zip(loaded[name].AdapterParameters("student")))
            {
                qn.Should().Be(pn);
                q.SameAs(p).Should().BeTrue($"{name}.{pn}");
            }
        }

        var resaved = Path.Combine(dir, "student2.safetensors");
        LoraFile.Save(fresh, "student", resaved);
        File.ReadAllBytes(resaved).Should().Equal(File.ReadAllBytes(path));
    }

    [Fact]
    public void A_component_prefix_other_than_transformer_selects_that_components_keys()
    {
        string Name(string module, string m) => "unet." + Peft(module, m);
        var tensors = RandomLora(Name);
        tensors["transformer.proj_out.lora_A.weight"] = randn(3, 8);
        tensors["transformer.proj_out.lora_B.weight"] = randn(4, 3);
        var path = Write("unet.safetensors", tensors);
        using var model = new ToyLoraModel();
        var report = LoraFile.Load(model, path, "default", new LoraLoadOptions { ComponentPrefix = "unet" });
        report.Modules.Should().HaveCount(3);
        report.Ignored.Should().HaveCount(2);
        ShouldHoldFileValues(model, "default", tensors, Name);
    }
}
