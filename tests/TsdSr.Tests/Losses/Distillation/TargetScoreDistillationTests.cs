using TsdSr.Core.Embeddings;
using TsdSr.Losses.Distillation;
using TsdSr.Losses.Scores;
using TsdSr.Schedulers;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Losses.Distillation;

/// <summary>
/// d L / d ẑ of the VSD / TSM / TSD surrogate losses equals the hand-computed formula (the surrogates of the official TSD-SR training script):
/// grad = λ·Σ(v_tea(x̂) − v_fake(x̂))·σ² + (1 − λ)·Σ(v_tea(x̂) − v_tea(x^H))·σ², dL/dẑ = grad / numel.
/// </summary>
public class TargetScoreDistillationTests(ITestOutputHelper output)
{
    private const double Scale = 7.5;
    private static readonly long[] Indices = [100, 700];

    [Theory]
    [InlineData(0.7)]
    [InlineData(1.0)]
    [InlineData(0.0)]
    public void Autograd_gradient_of_the_surrogate_equals_the_stated_formula(double lambda)
    {
        using var scope = NewDisposeScope();
        var (teacher, fake, tsd, cond, nul) = Build(new ScoreDistillationOptions { VsdWeight = lambda });
        var zHat = LossTestData.Randn(1, 2, 4, 4, 4).requires_grad_(true);
        var zHr = LossTestData.Randn(2, 2, 4, 4, 4);
        var noise = LossTestData.Randn(3, 2, 4, 4, 4);

        using var result = tsd.Compute(zHat, zHr, noise, tensor(Indices, int64), cond);
        result.Loss.backward();

        var expectedGrad = HandGradient(teacher, fake, zHat, zHr, noise, cond, nul, lambda);
        var numel = zHat.numel();
        var diff = TensorAssert.MaxAbsDiff(zHat.grad!, expectedGrad.div(numel));
        output.WriteLine($"lambda {lambda}: max |dL/dz - grad/numel| = {diff:E3}, max |grad/numel| = {expectedGrad.abs().max().item<double>() / numel:E3}");
        diff.Should().BeLessThan(1e-6);
        TensorAssert.MaxAbsDiff(result.Gradients.Combined, expectedGrad).Should().BeLessThan(1e-4, "relative ~1e-6 of O(10) values");
        expectedGrad.abs().max().item<double>().Should().BeGreaterThan(0.1, "the check must not be vacuous");
    }

    [Fact]
    public void Vsd_only_needs_no_hr_latent_and_matches_eq_3()
    {
        using var scope = NewDisposeScope();
        var (teacher, fake, tsd, cond, nul) = Build(ScoreDistillationOptions.VsdOnly);
        var zHat = LossTestData.Randn(1, 2, 4, 4, 4).requires_grad_(true);
        var noise = LossTestData.Randn(3, 2, 4, 4, 4);

        using var result = tsd.Compute(zHat, null, noise, tensor(Indices, int64), cond);
        result.Loss.backward();

        result.Gradients.Tsm.Should().BeNull();
        var expected = HandGradient(teacher, fake, zHat, zHat.detach(), noise, cond, nul, 1.0);
        TensorAssert.MaxAbsDiff(zHat.grad!, expected.div(zHat.numel())).Should().BeLessThan(1e-6);
    }

    [Fact]
    public void Tsm_and_vsd_parts_are_reported_separately_and_combine_with_lambda()
    {
        using var scope = NewDisposeScope();
        var (teacher, fake, tsd, cond, nul) = Build(ScoreDistillationOptions.Reference);
        var zHat = LossTestData.Randn(1, 2, 4, 4, 4).requires_grad_(true);
        var zHr = LossTestData.Randn(2, 2, 4, 4, 4);
        var noise = LossTestData.Randn(3, 2, 4, 4, 4);

        using var result = tsd.Compute(zHat, zHr, noise, tensor(Indices, int64), cond);

        var vsd = HandGradient(teacher, fake, zHat, zHr, noise, cond, nul, 1.0);
        var tsm = HandGradient(teacher, fake, zHat, zHr, noise, cond, nul, 0.0);
        TensorAssert.MaxAbsDiff(result.Gradients.Vsd, vsd).Should().BeLessThan(1e-4);
        TensorAssert.MaxAbsDiff(result.Gradients.Tsm!, tsm).Should().BeLessThan(1e-4);
        TensorAssert.MaxAbsDiff(result.Gradients.Combined, vsd.mul(0.7).add(tsm.mul(0.3))).Should().BeLessThan(1e-4);
        result.Gradients.NonFiniteCount.Should().Be(0);
    }

    [Fact]
    public void Loss_value_is_half_the_mean_square_of_the_gradient()
    {
        using var scope = NewDisposeScope();
        var zHat = LossTestData.Randn(1, 2, 4, 4, 4).requires_grad_(true);
        var grad = LossTestData.Randn(5, 2, 4, 4, 4);

        var loss = ScoreDistillationLoss.Surrogate(zHat, grad);
        loss.backward();

        loss.item<float>().Should().BeApproximately((float)(0.5 * grad.to(float64).square().mean().item<double>()), 1e-6f);
        TensorAssert.MaxAbsDiff(zHat.grad!, grad.div(zHat.numel())).Should().BeLessThan(1e-8, "fp32 rounding of values ~1e-2");
    }

    [Fact]
    public void Sub_steps_take_euler_steps_along_the_fake_and_teacher_paths_with_step_weights()
    {
        using var scope = NewDisposeScope();
        var (teacher, fake, _, cond, nul) = Build(ScoreDistillationOptions.Reference);
        var xHat = LossTestData.Randn(21, 2, 4, 4, 4);
        var xHr = LossTestData.Randn(22, 2, 4, 4, 4);
        double s0 = LossTestData.Sigma(300), s1 = LossTestData.Sigma(350);
        var steps = new[]
        {
            new DistillationSubStep(tensor(new[] { 1000 * s0, 1000 * s0 }, float32), tensor(new[] { s0, s0 }, float32), tensor(new[] { s1, s1 }, float32), 1.0),
            new DistillationSubStep(tensor(new[] { 1000 * s1, 1000 * s1 }, float32), tensor(new[] { s1, s1 }, float32), null, 0.3),
        };

        var guidance = new GuidanceOptions { Scale = Scale };
        using var g = ScoreDistillation.ComputeGradients(
            new GuidedScoreModel(teacher, nul, guidance), new GuidedScoreModel(fake, nul, guidance), xHat, xHr, steps, cond);

        // Hand trajectory in float64.
        var (pc, qc) = cond.ForBatch(2);
        var (pn, qn) = nul.ForBatch(2);
        Tensor Cfg(AffineScoreModel m, Tensor x, double sigma)
        {
            var t = tensor(new[] { 1000 * sigma, 1000 * sigma }, float64);
            var u = m.Expected(x, t, pn, qn);
            return u.add(m.Expected(x, t, pc, qc).sub(u).mul(Scale));
        }

        var x0 = xHat.to(float64);
        var h0 = xHr.to(float64);
        var vT0 = Cfg(teacher, x0, s0);
        var vH0 = Cfg(teacher, h0, s0);
        var vF0 = Cfg(fake, x0, s0);
        var x1 = x0.sub(vF0.mul(s0 - s1));
        var h1 = h0.sub(vH0.mul(s0 - s1));
        var vT1 = Cfg(teacher, x1, s1);
        var vH1 = Cfg(teacher, h1, s1);
        var vF1 = Cfg(fake, x1, s1);
        var vsd = vT0.sub(vF0).mul(s0 * s0).add(vT1.sub(vF1).mul(s1 * s1 * 0.3));
        var tsm = vT0.sub(vH0).mul(s0 * s0).add(vT1.sub(vH1).mul(s1 * s1 * 0.3));
        TensorAssert.MaxAbsDiff(g.Vsd, vsd).Should().BeLessThan(1e-4);
        TensorAssert.MaxAbsDiff(g.Tsm!, tsm).Should().BeLessThan(1e-4);
    }

    [Fact]
    public void Non_finite_score_differences_are_zeroed_and_counted()
    {
        using var scope = NewDisposeScope();
        var (teacher, _, _, cond, nul) = Build(ScoreDistillationOptions.Reference);
        var nan = new NanScoreModel();
        var xHat = LossTestData.Randn(21, 2, 4, 4, 4);
        var steps = new[] { new DistillationSubStep(tensor(new[] { 500f, 500f }), tensor(new[] { 0.5f, 0.5f }), null, 1.0) };

        using var g = ScoreDistillation.ComputeGradients(new GuidedScoreModel(teacher, nul), nan, xHat, null, steps, cond, ScoreDistillationOptions.VsdOnly);

        g.NonFiniteCount.Should().Be(1);
        g.Vsd[0, 0, 0, 0].item<float>().Should().Be(0f);
        g.Vsd.isfinite().all().item<bool>().Should().BeTrue();
    }

    [Fact]
    public void No_tensor_outlives_a_no_grad_loss_computation()
    {
        using var scope = NewDisposeScope();
        var (_, _, tsd, cond, _) = Build(ScoreDistillationOptions.Reference);
        var zHat = LossTestData.Randn(1, 2, 4, 4, 4);
        var zHr = LossTestData.Randn(2, 2, 4, 4, 4);
        var noise = LossTestData.Randn(3, 2, 4, 4, 4);
        var idx = tensor(Indices, int64);

        LeakCheck.NoLiveTensorsAfter(() =>
        {
            using var noGrad = no_grad();
            using var result = tsd.Compute(zHat, zHr, noise, idx, cond);
        });
    }

    [Fact]
    public void Invalid_inputs_are_rejected_with_precise_messages()
    {
        using var scope = NewDisposeScope();
        var (_, _, tsd, cond, _) = Build(ScoreDistillationOptions.Reference);
        var zHat = LossTestData.Randn(1, 2, 4, 4, 4);

        var noHr = () => tsd.Compute(zHat, null, zHat, tensor(Indices, int64), cond);
        noHr.Should().Throw<ArgumentException>().WithMessage("*TSM needs the noisy HR latent*");
        var badHr = () => tsd.Compute(zHat, zeros(2, 4, 2, 2), zHat, tensor(Indices, int64), cond);
        badHr.Should().Throw<ArgumentException>().WithMessage("*must match the student latent*");
        var badIndex = () => tsd.Compute(zHat, zHat, zHat, tensor(new long[] { 100, 1000 }), cond);
        badIndex.Should().Throw<ArgumentException>().WithMessage("*[0, 1000)*");
    }

    private static (AffineScoreModel Teacher, AffineScoreModel Fake, TargetScoreDistillation Tsd, PromptEmbeddings Cond, PromptEmbeddings Null)
        Build(ScoreDistillationOptions options)
    {
        var teacher = new AffineScoreModel(-0.8, 0.6, 1.3, -0.4);
        var fake = new AffineScoreModel(-1.1, 0.2, 0.9, 0.7);
        var (cond, nul) = LossTestData.Prompts(2);
        var guidance = new GuidanceOptions { Scale = Scale };
        var tsd = new TargetScoreDistillation(
            new GuidedScoreModel(teacher, nul, guidance), new GuidedScoreModel(fake, nul, guidance), new FlowMatchEulerDiscreteScheduler(), options);
        return (teacher, fake, tsd, cond, nul);
    }

    /// <summary>The stated gradient, computed by hand in float64 from the models' formulas.</summary>
    private static Tensor HandGradient(AffineScoreModel teacher, AffineScoreModel fake, Tensor zHat, Tensor zHr, Tensor noise,
        PromptEmbeddings cond, PromptEmbeddings nul, double lambda)
    {
        var sigma = LossTestData.SigmaColumn(Indices);
        var t = sigma.flatten().mul(1000);
        var eps = noise.to(float64);
        var xHat = sigma.mul(eps).add(sigma.neg().add(1).mul(zHat.detach().to(float64)));
        var xHr = sigma.mul(eps).add(sigma.neg().add(1).mul(zHr.to(float64)));
        var (pc, qc) = cond.ForBatch(2);
        var (pn, qn) = nul.ForBatch(2);
        Tensor Cfg(AffineScoreModel m, Tensor x)
        {
            var u = m.Expected(x, t, pn, qn);
            return u.add(m.Expected(x, t, pc, qc).sub(u).mul(Scale));
        }

        var vTea = Cfg(teacher, xHat);
        var vsd = vTea.sub(Cfg(fake, xHat)).mul(sigma.square());
        var tsm = vTea.sub(Cfg(teacher, xHr)).mul(sigma.square());
        return vsd.mul(lambda).add(tsm.mul(1 - lambda));
    }

    private sealed class NanScoreModel : IScoreModel
    {
        public Tensor PredictVelocity(Tensor latent, Tensor timestep, Tensor promptEmbeds, Tensor pooledEmbeds)
        {
            var v = zeros_like(latent);
            v[0, 0, 0, 0] = tensor(float.NaN);
            return v;
        }
    }
}
