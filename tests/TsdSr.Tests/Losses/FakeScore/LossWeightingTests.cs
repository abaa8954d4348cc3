using TsdSr.Losses.FakeScore;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Losses.FakeScore;

/// <summary>Per-sample weights of the fake-score loss against their formulas (reference train.py, diffusers cosmap).</summary>
public class LossWeightingTests
{
    private static readonly double[] Sigmas = [0.13884, 0.5, 0.98276];

    [Fact]
    public void Sigma_sqrt_is_the_inverse_square_of_sigma()
    {
        using var scope = NewDisposeScope();
        var w = LossWeighting.Compute(LossWeightingScheme.SigmaSqrt, tensor(Sigmas, float32));
        Expect(w, Sigmas.Select(s => 1 / (s * s)), 1e-5);
    }

    [Fact]
    public void Cosmap_is_two_over_pi_times_one_minus_two_sigma_plus_two_sigma_squared()
    {
        using var scope = NewDisposeScope();
        var w = LossWeighting.Compute(LossWeightingScheme.CosMap, tensor(Sigmas, float32));
        Expect(w, Sigmas.Select(s => 2 / (Math.PI * (1 - (2 * s) + (2 * s * s)))), 1e-6);
    }

    [Fact]
    public void None_is_one()
    {
        using var scope = NewDisposeScope();
        Expect(LossWeighting.Compute(LossWeightingScheme.None, tensor(Sigmas, float32)), Sigmas.Select(_ => 1.0), 0);
    }

    [Fact]
    public void Logit_normal_is_the_sigmoid_of_a_seeded_normal_draw_independent_of_sigma()
    {
        using var scope = NewDisposeScope();
        var options = FakeScoreLossOptions.Reference with { LogitMean = 0.3, LogitStd = 1.7 };
        using var g = new Generator(9);
        using var gHand = new Generator(9);

        var w = LossWeighting.Compute(LossWeightingScheme.LogitNormal, tensor(Sigmas, float32), options, g);

        var u = randn([3], float32, generator: gHand).to(float64).data<double>().ToArray();
        Expect(w, u.Select(x => 1 / (1 + Math.Exp(-((x * 1.7) + 0.3)))), 1e-6);
    }

    [Fact]
    public void Mode_is_one_minus_u_minus_scale_times_cos_term_of_a_seeded_uniform_draw()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(10);
        using var gHand = new Generator(10);

        var w = LossWeighting.Compute(LossWeightingScheme.Mode, tensor(Sigmas, float32), null, g);

        var u = rand([3], float32, generator: gHand).to(float64).data<double>().ToArray();
        Expect(w, u.Select(x => 1 - x - (1.29 * ((Math.Cos(Math.PI * x / 2) * Math.Cos(Math.PI * x / 2)) - 1 + x))), 1e-6);
    }

    private static void Expect(Tensor actual, IEnumerable<double> expected, double tol) =>
        TensorAssert.MaxAbsDiff(actual, tensor(expected.ToArray(), float64)).Should().BeLessThanOrEqualTo(tol);
}
