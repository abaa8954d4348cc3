using TsdSr.Core.Embeddings;
using TsdSr.Losses.Scores;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Losses.Scores;

/// <summary>Classifier-free guidance: v = v_uncond + s·(v_cond − v_uncond), batch order [uncond; cond] as diffusers.</summary>
public class GuidedScoreModelTests
{
    [Fact]
    public void Concatenated_batch_puts_the_null_prompt_first_then_the_condition()
    {
        using var scope = NewDisposeScope();
        var model = new AffineScoreModel(0.5, 0.0, 1.0, 0.0) { Record = true };
        var (cond, nul) = LossTestData.Prompts(2);
        var guided = new GuidedScoreModel(model, nul, new GuidanceOptions { Batching = CfgBatching.Concatenated });

        guided.PredictVelocity(LossTestData.Randn(1, 2, 4, 2, 2), tensor(new[] { 500f, 500f }), cond.PromptEmbeds, cond.PooledPromptEmbeds);

        model.PromptMeansPerCall.Should().ContainSingle();
        var means = model.PromptMeansPerCall[0];
        var nullMean = nul.PromptEmbeds.to(float64).mean().item<double>();
        var condMeans = cond.PromptEmbeds.to(float64).mean([1, 2]).data<double>().ToArray();
        means.Should().HaveCount(4);
        means[0].Should().BeApproximately(nullMean, 1e-6);
        means[1].Should().BeApproximately(nullMean, 1e-6);
        means[2].Should().BeApproximately(condMeans[0], 1e-6);
        means[3].Should().BeApproximately(condMeans[1], 1e-6);
    }

    [Theory]
    [InlineData(CfgBatching.Concatenated)]
    [InlineData(CfgBatching.Separate)]
    public void Guided_velocity_is_uncond_plus_scale_times_the_difference(CfgBatching batching)
    {
        using var scope = NewDisposeScope();
        var model = new AffineScoreModel(0.5, 0.3, 1.0, -2.0);
        var (cond, nul) = LossTestData.Prompts(2);
        var guided = new GuidedScoreModel(model, nul, new GuidanceOptions { Batching = batching });
        var x = LossTestData.Randn(1, 2, 4, 2, 2);
        var t = tensor(new[] { 300f, 900f });

        var v = guided.PredictVelocity(x, t, cond.PromptEmbeds, cond.PooledPromptEmbeds);

        var (pn, qn) = nul.ForBatch(2);
        var uncond = model.Expected(x, t, pn, qn);
        var condV = model.Expected(x, t, cond.PromptEmbeds, cond.PooledPromptEmbeds);
        guided.Options.Scale.Should().Be(7.5, "the reference default");
        TensorAssert.MaxAbsDiff(v, uncond.add(condV.sub(uncond).mul(7.5))).Should().BeLessThan(1e-5);
        TensorAssert.MaxAbsDiff(v, condV).Should().BeGreaterThan(0.1, "guidance must change the prediction");
    }

    [Fact]
    public void Combine_is_uncond_plus_scale_times_cond_minus_uncond()
    {
        using var scope = NewDisposeScope();
        var combined = ClassifierFreeGuidance.Combine(tensor(new[] { 1f, 2f }), tensor(new[] { 3f, 1f }), 7.5);
        combined.data<float>().ToArray().Should().Equal(1f + (7.5f * 2f), 2f + (7.5f * -1f));
    }

    [Fact]
    public void Null_prompt_with_a_wrong_batch_is_rejected()
    {
        using var scope = NewDisposeScope();
        var (cond, _) = LossTestData.Prompts(2);
        var nul = new PromptEmbeddings(zeros(3, 3, 5), zeros(3, 6));
        var guided = new GuidedScoreModel(new AffineScoreModel(1, 0, 0, 0), nul);
        var act = () => guided.PredictVelocity(zeros(2, 4, 2, 2), tensor(new[] { 1f, 1f }), cond.PromptEmbeds, cond.PooledPromptEmbeds);
        act.Should().Throw<ArgumentException>().WithMessage("*batch 3; expected 1 or 2*");
    }

    [Fact]
    public void Non_finite_guidance_scale_is_rejected()
    {
        var act = () => new GuidanceOptions { Scale = double.NaN }.Validate();
        act.Should().Throw<ArgumentException>().WithMessage("*finite*");
    }
}
