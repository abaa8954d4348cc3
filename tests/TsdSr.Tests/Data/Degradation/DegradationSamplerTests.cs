using System.Text.Json;
using TsdSr.Data.Degradation;

namespace TsdSr.Tests.Data.Degradation;

public class DegradationSamplerTests
{
    private const int Draws = 600;

    [Fact]
    public void Branch_frequencies_match_the_configured_probabilities_within_4_standard_errors()
    {
        var config = DegradationConfig.OSEDiff;
        var sampler = new DegradationSampler(config);
        var plans = Enumerable.Range(0, Draws).Select(i => sampler.Sample(2024, i)).ToArray();

        double sinc = config.First.Blur.SincProbability;
        Check(plans.Count(p => p.First.Kernels[0].Type == KernelType.Sinc), sinc, "first kernel sinc");
        foreach (var type in KernelTypeProbabilities.Types)
        {
            Check(plans.Count(p => p.First.Kernels[0].Type == type), (1 - sinc) * config.First.Blur.Types.Of(type), $"first kernel {type}");
            Check(plans.Count(p => p.Second.Kernels[0].Type == type), (1 - sinc) * config.Second.Blur.Types.Of(type), $"second kernel {type}");
        }

        Check(plans.Count(p => p.First.ResizeDirection == ResizeDirection.Up), 0.2, "first resize up");
        Check(plans.Count(p => p.First.ResizeDirection == ResizeDirection.Down), 0.7, "first resize down");
        Check(plans.Count(p => p.First.ResizeDirection == ResizeDirection.Keep), 0.1, "first resize keep");
        Check(plans.Count(p => p.Second.ResizeDirection == ResizeDirection.Up), 0.3, "second resize up");
        Check(plans.Count(p => p.Second.ResizeDirection == ResizeDirection.Down), 0.4, "second resize down");
        foreach (var mode in Enum.GetValues<ResizeMode>())
        {
            Check(plans.Count(p => p.First.ResizeMode == mode), 1.0 / 3, $"first resize {mode}");
            Check(plans.Count(p => p.FinalResizeMode == mode), 1.0 / 3, $"final resize {mode}");
        }

        Check(plans.Count(p => p.First.Noise == NoiseKind.Gaussian), 0.5, "first noise Gaussian");
        Check(plans.Count(p => p.Second.Noise == NoiseKind.Gaussian), 0.5, "second noise Gaussian");
        Check(plans.Count(p => p.First.GrayNoise[0]), 0.4, "first grey noise");
        Check(plans.Count(p => p.Second.GrayNoise[0]), 0.4, "second grey noise");
        Check(plans.Count(p => p.Second.Blur), 0.8, "second blur");
        Check(plans.Count(p => p.FinalKernels[0].Type == KernelType.Sinc), 0.8, "final sinc");
        Check(plans.Count(p => p.ResizeBeforeJpeg), 0.5, "resize+sinc before JPEG");
        plans.Should().OnlyContain(p => !p.NoDegradation);
    }

    [Fact]
    public void Drawn_parameters_stay_inside_their_ranges()
    {
        var config = DegradationConfig.StableSR;
        var sampler = new DegradationSampler(config);
        for (int i = 0; i < Draws; i++)
        {
            var p = sampler.Sample(7, i);
            foreach (var (stage, cfg) in new[] { (p.First, config.First), (p.Second, config.Second) })
            {
                var k = stage.Kernels[0];
                k.Size.Should().BeInRange(7, 21);
                (k.Size % 2).Should().Be(1);
                if (k.Type == KernelType.Sinc)
                {
                    k.Cutoff.Should().BeInRange(Math.PI / 5, Math.PI);
                    if (k.Size < 13)
                    {
                        k.Cutoff.Should().BeGreaterThanOrEqualTo(Math.PI / 3);
                    }
                }
                else
                {
                    k.SigmaX.Should().BeInRange(cfg.Blur.Sigma.Min, cfg.Blur.Sigma.Max);
                    k.SigmaY.Should().BeInRange(cfg.Blur.Sigma.Min, cfg.Blur.Sigma.Max);
                    k.Beta.Should().BeInRange(Math.Min(cfg.Blur.BetaGaussian.Min, cfg.Blur.BetaPlateau.Min), Math.Max(cfg.Blur.BetaGaussian.Max, cfg.Blur.BetaPlateau.Max));
                }

                stage.ResizeScale.Should().BeInRange(cfg.Resize.Scale.Min, cfg.Resize.Scale.Max);
                stage.JpegQualities[0].Should().BeInRange((int)cfg.JpegQuality.Min, (int)cfg.JpegQuality.Max);
                double noiseMax = stage.Noise == NoiseKind.Gaussian ? cfg.Noise.Sigma.Max / 255 : cfg.Noise.PoissonScale.Max;
                stage.NoiseStrengths[0].Should().BeInRange(0, noiseMax);
            }

            if (p.FinalKernels[0].Type == KernelType.Sinc)
            {
                p.FinalKernels[0].Cutoff.Should().BeInRange(Math.PI / 3, Math.PI);
            }
        }
    }

    [Fact]
    public void Plans_are_a_function_of_seed_and_index_only()
    {
        var a = new DegradationSampler(DegradationConfig.OSEDiff);
        var b = new DegradationSampler(DegradationConfig.OSEDiff);
        Json(a.Sample(5, 123)).Should().Be(Json(b.Sample(5, 123)));
        Json(a.Sample(5, 123)).Should().NotBe(Json(a.Sample(6, 123)));
        Json(a.Sample(5, 123)).Should().NotBe(Json(a.Sample(5, 124)));
    }

    [Fact]
    public void Per_batch_plans_share_batch_choices_and_keep_per_sample_draws()
    {
        var perBatch = new DegradationSampler(DegradationConfig.RealEsrgan);
        var perSample = new DegradationSampler(DegradationConfig.OSEDiff);
        perBatch.SampleBatch(1, 10, 4).Should().ContainSingle().Which.BatchSize.Should().Be(4);
        var singles = perSample.SampleBatch(1, 10, 4);
        singles.Should().HaveCount(4).And.OnlyContain(p => p.BatchSize == 1);
        var batch = perBatch.Sample(1, 10, 4);
        batch.First.Kernels[2].Should().Be(singles[2].First.Kernels[0], "sample 12's kernel depends on (seed, 12) only");
    }

    private static void Check(int count, double p, string what)
    {
        double freq = count / (double)Draws;
        double se = Math.Sqrt(p * (1 - p) / Draws);
        Math.Abs(freq - p).Should().BeLessThanOrEqualTo(Math.Max(4 * se, 1.0 / Draws), $"{what}: {count}/{Draws} vs p = {p}");
    }

    private static string Json(DegradationPlan plan) => JsonSerializer.Serialize(plan);
}
