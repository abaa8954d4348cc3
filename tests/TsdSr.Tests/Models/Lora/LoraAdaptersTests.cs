using TsdSr.Models.Lora;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Models.Lora;

/// <summary>Model-level LoRA: PEFT target matching, named adapters on one base, merge, freezing, casts.</summary>
public class LoraAdaptersTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    /// <summary>TSD-SR's transformer target list (the official TSD-SR release) on the toy model, random B so adapters act.</summary>
    private static readonly LoraConfig TsdSrLike = LoraConfig.TsdSrTransformer with { Rank = 2, Alpha = 4, Init = LoraInit.Random };

    private static readonly string[] ExpectedTargets =
    [
        "pos_embed.proj", "proj_out",
        "transformer_blocks.0.attn.to_q", "transformer_blocks.0.attn.to_k", "transformer_blocks.0.attn.to_out.0", "transformer_blocks.0.norm1.linear",
        "transformer_blocks.1.attn.to_q", "transformer_blocks.1.attn.to_k", "transformer_blocks.1.attn.to_out.0", "transformer_blocks.1.norm1.linear",
    ];

    [Fact]
    public void Targets_match_by_name_or_dot_suffix_as_in_peft()
    {
        using var model = new ToyLoraModel();
        var added = LoraAdapters.Add(model, "default", TsdSrLike);
        added.Should().BeEquivalentTo(ExpectedTargets, "'linear' matches norm1.linear but not ff.linear_1");
        LoraAdapters.LayersWith(model, "default").Should().BeEquivalentTo(ExpectedTargets);
        model.state_dict().Keys.Should().Contain("transformer_blocks.0.attn.to_out.0.lora_A.default.weight")
            .And.Contain("pos_embed.proj.lora_B.default.weight")
            .And.NotContain(k => k.StartsWith("transformer_blocks.0.ff.linear_1.lora", StringComparison.Ordinal));
    }

    [Fact]
    public void Rank_and_alpha_patterns_and_rslora_set_each_layers_scaling()
    {
        using var model = new ToyLoraModel();
        var config = TsdSrLike with
        {
            UseRsLora = true,
            RankPattern = new Dictionary<string, int> { ["to_q"] = 4 },
            AlphaPattern = new Dictionary<string, double> { ["transformer_blocks.1.attn.to_q"] = 8, ["pos_embed.proj"] = 1 },
        };
        LoraAdapters.Add(model, "default", config);
        var layers = LoraAdapters.Layers(model).ToDictionary(l => l.Name, l => l.Layer);
        layers["transformer_blocks.0.attn.to_q"].GetSettings("default").Should().Be(new LoraAdapterSettings(4, 4, true, LoraInit.Random, false));
        layers["transformer_blocks.1.attn.to_q"].GetSettings("default").Scaling.Should().Be(8 / Math.Sqrt(4));
        layers["pos_embed.proj"].GetSettings("default").Scaling.Should().Be(1 / Math.Sqrt(2));
        layers["proj_out"].GetSettings("default").Scaling.Should().Be(4 / Math.Sqrt(2));
    }

    [Fact]
    public void Adding_with_targets_that_match_nothing_is_refused()
    {
        using var model = new ToyLoraModel();
        var act = () => LoraAdapters.Add(model, "default", new LoraConfig { TargetModules = ["to_v", "attn"] });
        act.Should().Throw<ArgumentException>().WithMessage("*to_v, attn*");
    }

    [Fact]
    public void Teacher_and_student_adapters_share_one_base_and_switch()
    {
        using var model = new ToyLoraModel();
        using var x = randn(2, 4, 8, 8);
        using var baseOut = model.call(x);
        LoraAdapters.Add(model, "teacher", TsdSrLike);
        LoraAdapters.Add(model, "student", TsdSrLike with { Rank = 3 });
        LoraAdapters.AdapterNames(model).Should().Equal("teacher", "student");

        using var student = model.call(x);
        LoraAdapters.SetActive(model, "teacher");
        using var teacher = model.call(x);
        LoraAdapters.SetActive(model, "student");
        using var studentAgain = model.call(x);
        LoraAdapters.Disable(model);
        using var disabled = model.call(x);
        LoraAdapters.Enable(model);

        student.SameAs(studentAgain).Should().BeTrue();
        teacher.allclose(student, 1e-3, 1e-3).Should().BeFalse();
        disabled.SameAs(baseOut).Should().BeTrue();
        model.Invoking(m => LoraAdapters.SetActive(m, "fake_score")).Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void Merging_the_model_matches_runtime_and_unmerging_restores_every_base_weight_exactly(double scale)
    {
        using var model = new ToyLoraModel();
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        LoraAdapters.Add(model, "default", TsdSrLike);
        LoraAdapters.SetScale(model, "default", scale);
        using var x = randn(2, 4, 8, 8);
        using var runtime = model.call(x);

        LoraAdapters.Merge(model);
        using var merged = model.call(x);
        var error = TensorAssert.MaxAbsDiff(merged, runtime);
        output.WriteLine($"toy model, scale {scale}: merged vs runtime max|Δ| = {error:E2}");
        error.Should().BeLessThanOrEqualTo(Tolerance);

        LoraAdapters.Unmerge(model);
        foreach (var (key, value) in before)
        {
            model.state_dict()[key].SameAs(value).Should().BeTrue(key);
            value.Dispose();
        }
    }

    [Fact]
    public void Merge_and_unload_leaves_the_plain_model_with_merged_weights()
    {
        using var model = new ToyLoraModel();
        var keys = model.state_dict().Keys.ToList();
        LoraAdapters.Add(model, "default", TsdSrLike);
        using var x = randn(2, 4, 8, 8);
        using var runtime = model.call(x);
        LoraAdapters.MergeAndUnload(model);
        model.state_dict().Keys.Should().Equal(keys);
        LoraAdapters.AdapterNames(model).Should().BeEmpty();
        using var y = model.call(x);
        TensorAssert.Close(y, runtime, Tolerance);
    }

    [Fact]
    public void Freezing_the_base_leaves_only_lora_parameters_trainable_and_an_optimiser_moves_only_the_student()
    {
        using var model = new ToyLoraModel();
        LoraAdapters.Add(model, "teacher", TsdSrLike);
        LoraAdapters.Add(model, "student", TsdSrLike);
        LoraAdapters.FreezeBase(model);
        model.to(float64);
        foreach (var (name, p) in model.named_parameters())
        {
            p.requires_grad.Should().Be(LoraAdapters.IsLoraParameterName(name), name);
        }

        var studentParams = LoraAdapters.Parameters(model, "student");
        studentParams.Should().HaveCount(20).And.OnlyContain(p => p.dtype == ScalarType.Float64);
        LoraAdapters.NamedParameters(model, "student").Select(p => p.Name).Should().Contain("transformer_blocks.1.attn.to_out.0.lora_B.student.weight");
        var snapshot = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

        using var optimizer = optim.SGD(studentParams, 0.1);
        using var x = randn(2, 4, 8, 8, dtype: float64);
        using (var loss = model.call(x).square().mean())
        {
            loss.backward();
        }

        optimizer.step();
        foreach (var (key, value) in snapshot)
        {
            var changed = !model.state_dict()[key].SameAs(value);
            changed.Should().Be(key.Contains(".student.", StringComparison.Ordinal), key);
            value.Dispose();
        }
    }

    [Fact]
    public void Deleting_an_adapter_removes_its_parameters_everywhere()
    {
        using var model = new ToyLoraModel();
        LoraAdapters.Add(model, "teacher", TsdSrLike);
        LoraAdapters.Add(model, "student", TsdSrLike);
        LoraAdapters.Delete(model, "teacher");
        model.state_dict().Keys.Should().NotContain(k => k.Contains(".teacher.", StringComparison.Ordinal));
        LoraAdapters.AdapterNames(model).Should().Equal("student");
        model.Invoking(m => LoraAdapters.Parameters(m, "teacher")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Adapter_state_dict_uses_peft_file_names_without_the_adapter_segment()
    {
        using var model = new ToyLoraModel();
        LoraAdapters.Add(model, "default", TsdSrLike);
        var sd = LoraAdapters.StateDict(model, "default");
        sd.Should().HaveCount(20);
        sd.Keys.Should().Contain("transformer_blocks.0.attn.to_out.0.lora_A.weight").And.Contain("pos_embed.proj.lora_B.weight");
        sd["pos_embed.proj.lora_A.weight"].shape.Should().Equal(2, 4, 2, 2);
    }

    [Fact]
    public void Adding_or_loading_adapters_on_a_merged_model_is_refused_before_anything_changes()
    {
        using var model = new ToyLoraModel();
        LoraAdapters.Add(model, "default", TsdSrLike);
        LoraAdapters.Merge(model);
        model.Invoking(m => LoraAdapters.Add(m, "other", TsdSrLike)).Should().Throw<InvalidOperationException>();
        LoraAdapters.AdapterNames(model).Should().Equal("default");
    }

    [Fact]
    public void A_lora_bias_on_a_target_without_base_bias_is_refused_before_anything_changes()
    {
        using var model = new ToyLoraModel();
        var act = () => LoraAdapters.Add(model, "default", TsdSrLike with { LoraBias = true });
        act.Should().Throw<ArgumentException>().WithMessage("*transformer_blocks.0.attn.to_k*");
        LoraAdapters.AdapterNames(model).Should().BeEmpty();
    }
}
