using TsdSr.Losses.FakeScore;
using TsdSr.Schedulers;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Losses.FakeScore;

/// <summary>Eq. 9 as coded: x_t = σ'ε' + (1 − σ')sg(ẑ), x̂0 = x_t − σ'v, L = mean(0.5·w·MSE(x̂0, sg(ẑ))).</summary>
public class FakeScoreDiffusionLossTests
{
    private static readonly long[] Indices = [60, 910];

    [Theory]
    [InlineData(FakeScoreLossReduction.BatchMean)]
    [InlineData(FakeScoreLossReduction.PerSample)]
    public void Loss_matches_the_hand_computation_and_trains_only_the_fake_score(FakeScoreLossReduction reduction)
    {
        using var scope = NewDisposeScope();
        var fake = new AffineScoreModel(-0.9, 0.4, 0.8, 0.3);
        var (cond, _) = LossTestData.Prompts(2);
        var loss = new FakeScoreDiffusionLoss(fake, new FlowMatchEulerDiscreteScheduler(), new FakeScoreLossOptions { Reduction = reduction });
        var zHat = LossTestData.Randn(1, 2, 4, 4, 4).requires_grad_(true);
        var noise = LossTestData.Randn(2, 2, 4, 4, 4);
        var weights = tensor(new[] { 0.3f, 0.8f });

        var value = loss.Compute(zHat, noise, tensor(Indices, int64), weights, cond);
        value.backward();

        var sigma = LossTestData.SigmaColumn(Indices);
        var z = zHat.detach().to(float64);
        var xt = sigma.mul(noise.to(float64)).add(sigma.neg().add(1).mul(z));
        var v = fake.Expected(xt, sigma.flatten().mul(1000), cond.PromptEmbeds, cond.PooledPromptEmbeds);
        var sq = xt.sub(sigma.mul(v)).sub(z).square();
        var w = weights.to(float64);
        double expected = reduction == FakeScoreLossReduction.BatchMean
            ? 0.5 * w.mean().item<double>() * sq.mean().item<double>()
            : 0.5 * w.mul(sq.mean([1, 2, 3])).mean().item<double>();
        value.item<float>().Should().BeApproximately((float)expected, (float)(1e-5 * expected));
        zHat.grad.Should().BeNull("the student latent is detached");
        fake.A.grad.Should().NotBeNull();
        fake.A.grad!.item<float>().Should().NotBe(0f);
    }

    [Fact]
    public void Sampling_is_deterministic_under_a_seed_and_defaults_to_the_reference_range()
    {
        using var scope = NewDisposeScope();
        var loss = new FakeScoreDiffusionLoss(new AffineScoreModel(1, 0, 0, 0), new FlowMatchEulerDiscreteScheduler());
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);

        var (i1, w1) = loss.Sample(2000, g1);
        var (i2, w2) = loss.Sample(2000, g2);

        i1.eq(i2).all().item<bool>().Should().BeTrue();
        w1.eq(w2).all().item<bool>().Should().BeTrue();
        i1.min().item<long>().Should().Be(50);
        i1.max().item<long>().Should().Be(949);
        w1.min().item<float>().Should().BeGreaterThan(0f);
        w1.max().item<float>().Should().BeLessThan(1f, "sigmoid of a normal");
    }

    [Fact]
    public void No_tensor_outlives_a_no_grad_fake_score_loss()
    {
        using var scope = NewDisposeScope();
        var loss = new FakeScoreDiffusionLoss(new AffineScoreModel(-0.9, 0.4, 0.8, 0.3), new FlowMatchEulerDiscreteScheduler());
        var (cond, _) = LossTestData.Prompts(2);
        var zHat = LossTestData.Randn(1, 2, 4, 4, 4);
        var noise = LossTestData.Randn(2, 2, 4, 4, 4);
        var idx = tensor(Indices, int64);
        var weights = tensor(new[] { 0.3f, 0.8f });

        LeakCheck.NoLiveTensorsAfter(() =>
        {
            using var noGrad = no_grad();
            using var value = loss.Compute(zHat, noise, idx, weights, cond);
        });
    }

    [Fact]
    public void Options_default_to_the_reference_and_reject_bad_values()
    {
        var o = FakeScoreLossOptions.Reference;
        (o.Weighting, o.Sampling, o.MinIndex, o.MaxIndex, o.LogitMean, o.LogitStd, o.ModeScale, o.Reduction)
            .Should().Be((LossWeightingScheme.LogitNormal, TimestepSampling.UniformIndexRange, 50, 950, 0.0, 1.0, 1.29, FakeScoreLossReduction.BatchMean));
        ((Action)(() => (o with { MinIndex = 950 }).Validate())).Should().Throw<ArgumentException>().WithMessage("*[950, 950)*");
        ((Action)(() => (o with { MaxIndex = 1001 }).Validate())).Should().Throw<ArgumentException>();
        ((Action)(() => (o with { LogitStd = 0 }).Validate())).Should().Throw<ArgumentException>().WithMessage("*positive std*");
        ((Action)(() => (o with { Weighting = (LossWeightingScheme)42 }).Validate())).Should().Throw<ArgumentException>();
    }
}
