using TsdSr.Losses.Scores;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Losses.Scores;

/// <summary>Teacher and fake-score views of one shared tiny SD3 transformer: explicit adapter sets, state restored.</summary>
public class AdapterScoreModelTests
{
    private static readonly LoraConfig FullConfig = LoraConfig.TsdSrTransformer with { Rank = 2, Alpha = 2, Init = LoraInit.Random };
    private static readonly LoraConfig AttentionConfig = FullConfig with
    {
        TargetModules = ["to_k", "to_q", "to_v", "to_out.0", "add_q_proj", "add_k_proj", "add_v_proj"],
    };

    [Fact]
    public void Teacher_and_fake_score_views_run_exactly_their_adapters()
    {
        using var scope = NewDisposeScope();
        using var model = BuildModel();
        var (x, t, p, q) = Inputs();

        var teacher = AdapterScoreModel.Teacher(model, "teacher").PredictVelocity(x, t, p, q);
        var fake = AdapterScoreModel.FakeScore(model, "fake").PredictVelocity(x, t, p, q);
        var baseOnly = AdapterScoreModel.Teacher(model, null).PredictVelocity(x, t, p, q);

        using (no_grad())
        {
            LoraAdapters.SetActive(model, "teacher");
            TensorAssert.MaxAbsDiff(teacher, model.forward(x, p, q, t)).Should().Be(0);
            LoraAdapters.SetActive(model, "fake");
            TensorAssert.MaxAbsDiff(fake, model.forward(x, p, q, t)).Should().Be(0, "fake score = base + fake LoRA, not teacher + fake");
            LoraAdapters.SetActive(model);
            TensorAssert.MaxAbsDiff(baseOnly, model.forward(x, p, q, t)).Should().Be(0);
        }

        TensorAssert.MaxAbsDiff(teacher, fake).Should().BeGreaterThan(1e-4, "the adapters must matter for this test");
    }

    [Fact]
    public void Each_call_restores_the_previously_active_adapters_and_enabled_flag()
    {
        using var scope = NewDisposeScope();
        using var model = BuildModel();
        var (x, t, p, q) = Inputs();
        LoraAdapters.SetActive(model, "student");

        AdapterScoreModel.Teacher(model, "teacher").PredictVelocity(x, t, p, q);
        AdapterScoreModel.FakeScore(model, "fake").PredictVelocity(x, t, p, q);
        AdapterScoreModel.Teacher(model, null).PredictVelocity(x, t, p, q);

        foreach (var (name, layer) in LoraAdapters.Layers(model))
        {
            layer.ActiveAdapters.Should().Equal(layer.HasAdapter("student") ? ["student"] : Array.Empty<string>(), name);
            layer.AdaptersEnabled.Should().BeTrue(name);
        }

        LoraAdapters.Disable(model);
        AdapterScoreModel.FakeScore(model, "fake").PredictVelocity(x, t, p, q);
        LoraAdapters.Layers(model).Should().OnlyContain(l => !l.Layer.AdaptersEnabled);
    }

    [Fact]
    public void The_state_is_restored_when_the_forward_pass_throws()
    {
        using var scope = NewDisposeScope();
        using var model = BuildModel();
        var (_, t, p, q) = Inputs();
        LoraAdapters.SetActive(model, "student");

        var act = () => AdapterScoreModel.Teacher(model, "teacher").PredictVelocity(zeros(2, 3, 8, 8), t, p, q);

        act.Should().Throw<ArgumentException>();
        LoraAdapters.Layers(model).Where(l => l.Layer.HasAdapter("student"))
            .Should().OnlyContain(l => l.Layer.ActiveAdapters.SequenceEqual(new[] { "student" }));
    }

    [Fact]
    public void A_compute_dtype_runs_a_bf16_base_on_fp32_latents_and_returns_fp32()
    {
        using var scope = NewDisposeScope();
        using var model = BuildModel();
        var (x, t, p, q) = Inputs();
        var reference = AdapterScoreModel.Teacher(model, "teacher").PredictVelocity(x, t, p, q);
        model.to(ScalarType.BFloat16);

        var v = AdapterScoreModel.Teacher(model, "teacher", ScalarType.BFloat16).PredictVelocity(x, t, p, q);

        v.dtype.Should().Be(ScalarType.Float32);
        TensorAssert.MaxAbsDiff(v, reference).Should().BeLessThan(0.1 * reference.abs().max().item<float>(), "bf16 keeps about 3 significant digits");
    }

    [Fact]
    public void Unknown_adapter_names_are_rejected_at_construction()
    {
        using var model = BuildModel();
        var act = () => AdapterScoreModel.FakeScore(model, "reg");
        act.Should().Throw<ArgumentException>().WithMessage("*[reg]*teacher*");
    }

    private static SD3Transformer2DModel BuildModel()
    {
        manual_seed(7);
        var model = new SD3Transformer2DModel(SD3TransformerConfig.Tiny);
        LoraAdapters.Add(model, "student", FullConfig, activate: false);
        LoraAdapters.Add(model, "teacher", FullConfig, activate: false);
        LoraAdapters.Add(model, "fake", AttentionConfig, activate: false);
        LoraAdapters.FreezeBase(model);
        return model;
    }

    private static (Tensor X, Tensor T, Tensor P, Tensor Q) Inputs() =>
        (LossTestData.Randn(31, 2, 16, 8, 8), tensor(new[] { 982.76f, 138.84f }), LossTestData.Randn(32, 2, 5, 32), LossTestData.Randn(33, 2, 24));
}
