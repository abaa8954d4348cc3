using TsdSr.Evaluation.NoReference;
using TsdSr.Evaluation.Statistics;
using TsdSr.Imaging;
using Xunit.Abstractions;

namespace TsdSr.Tests.Evaluation.NoReference;

public class NiqeTests(ITestOutputHelper output)
{
    /// <summary>Feature columns holding an AGGD shape α: per scale, the coefficients' fit (0) and the four pair fits.</summary>
    private static readonly int[] AlphaColumns = [0, 2, 6, 10, 14, 18, 20, 24, 28, 32];

    [Theory]
    [MemberData(nameof(EvaluationData.ImageNames), MemberType = typeof(EvaluationData))]
    public void Matches_pyiqa_niqe_of_each_realsr_sr_image_within_0_02(string name)
    {
        using var niqe = new Niqe();
        double value = niqe.Compute(EvaluationData.Sr(name));
        double err = Math.Abs(value - EvaluationData.Expected(name, "niqe"));
        output.WriteLine($"NIQE {name}: {value:F6} |error| {err:E3}");
        err.Should().BeLessThan(0.02);
    }

    [Fact]
    public void Embedded_pristine_model_equals_the_shipped_json()
    {
        var file = NiqeModel.Load(Path.Combine(EvaluationData.Root, "niqe", "niqe_pris_params.json"));
        NiqeModel.Default.Mean.Should().Equal(file.Mean);
        NiqeModel.Default.Covariance.Cast<double>().Should().Equal(file.Covariance.Cast<double>());
    }

    [Fact]
    public void Flat_blocks_keep_alpha_0_2_drop_only_their_undefined_betas_from_the_mean_and_stay_out_of_the_covariance()
    {
        // 384×192 = 4×2 blocks. Columns: x < 112 white (255), 112 ≤ x < 272 noise, x ≥ 272 black (0). Blocks 0 and 4
        // (x 0–95) are white and blocks 3 and 7 (x 288–383) black, with at least 16 flat pixels beyond them: MSCN reads
        // 3 px around a pixel and, at scale 2, the halving reads 5 px more, so their coefficients never see the noise.
        var image = FlatAndNoise(384, 192, whiteBefore: 112, blackFrom: 272);
        using var niqe = new Niqe();

        var feats = niqe.BlockFeatures(image);

        // Black: Y = 0 everywhere in the window, so every coefficient is exactly 0 (at both scales: the halving of 0 is 0).
        // Both sides are empty in all five fits: α = γ[0] = 0.2 (AggdFitTests), every β-derived feature NaN.
        foreach (int b in new[] { 3, 7 })
        {
            for (int f = 0; f < NiqeModel.FeatureCount; f++)
            {
                if (AlphaColumns.Contains(f))
                {
                    feats[b, f].Should().Be((double)0.2f, $"block {b} feature {f} is an α");
                }
                else
                {
                    double.IsNaN(feats[b, f]).Should().BeTrue($"block {b} feature {f} is a β of an empty side");
                }
            }
        }

        // White: the float32-stored 7×7 window sums to 1 + 1.1e-8, so μ = 255·Σw > 255 and every coefficient is the
        // same small negative number (scale 2 likewise, on the halved 255). The coefficients' fit has only a left side:
        // (βl + βr)/2 = NaN. Each neighbour product is positive: βl and the mean (βr − βl)·Γ(2/α)/Γ(1/α) NaN, βr finite.
        foreach (int b in new[] { 0, 4 })
        {
            for (int scale = 0; scale < 2; scale++)
            {
                int o = 18 * scale;
                feats[b, o].Should().Be((double)0.2f);
                double.IsNaN(feats[b, o + 1]).Should().BeTrue();
                for (int pair = 0; pair < 4; pair++)
                {
                    int p = o + 2 + (4 * pair);
                    feats[b, p].Should().Be((double)0.2f);
                    double.IsNaN(feats[b, p + 1]).Should().BeTrue();
                    double.IsNaN(feats[b, p + 2]).Should().BeTrue();
                    feats[b, p + 3].Should().BeInRange(double.Epsilon, 1e-9, "a β of products of ~3e-6 coefficients");
                }
            }
        }

        int[] clean = [1, 2, 5, 6];
        foreach (int b in clean)
        {
            Enumerable.Range(0, NiqeModel.FeatureCount).Should().OnlyContain(f => double.IsFinite(feats[b, f]), $"block {b} has texture");
        }

        // pyiqa's rules, restated: the mean skips NaN entries only (so the flat blocks' α = 0.2 and the white blocks'
        // finite βr count); the covariance uses the four blocks without any NaN, N − 1 = 3.
        var mean = new double[NiqeModel.FeatureCount];
        for (int f = 0; f < mean.Length; f++)
        {
            var present = Enumerable.Range(0, 8).Select(b => feats[b, f]).Where(v => !double.IsNaN(v)).ToList();
            mean[f] = present.Average();
        }

        var cov = new double[NiqeModel.FeatureCount, NiqeModel.FeatureCount];
        for (int i = 0; i < NiqeModel.FeatureCount; i++)
        {
            for (int j = 0; j < NiqeModel.FeatureCount; j++)
            {
                double mi = clean.Average(b => feats[b, i]), mj = clean.Average(b => feats[b, j]);
                cov[i, j] = clean.Sum(b => (feats[b, i] - mi) * (feats[b, j] - mj)) / (clean.Length - 1);
            }
        }

        var score = niqe.Score(image);
        double expected = PyiqaDistance(mean, cov);
        output.WriteLine($"NIQE with 4 flat blocks: {score.Value:F6}, restated pyiqa rules {expected:F6}");
        score.Note.Should().BeNull();
        score.Value.Should().BeApproximately(expected, 1e-9 * expected);
        niqe.Compute(image).Should().Be(score.Value);
    }

    [Fact]
    public void A_single_block_image_is_scored_with_a_zero_image_covariance_as_pyiqa_does()
    {
        // 128×128 crops to one 96×96 block. pyiqa's cov() uses correction 0 for a single sample, so Σd = 0 and the
        // score is sqrt(dᵀ·pinv(Σp/2)·d) with d = μp − that block's features.
        var image = FlatAndNoise(128, 128, whiteBefore: 0, blackFrom: 128);
        using var niqe = new Niqe();
        var feats = niqe.BlockFeatures(image);
        feats.GetLength(0).Should().Be(1);
        var row = Enumerable.Range(0, NiqeModel.FeatureCount).Select(f => feats[0, f]).ToArray();
        row.Should().OnlyContain(v => double.IsFinite(v));

        var score = niqe.Score(image);

        output.WriteLine($"NIQE of one block: {score.Value:F6}");
        score.Note.Should().BeNull();
        score.Value.Should().BeApproximately(PyiqaDistance(row, new double[NiqeModel.FeatureCount, NiqeModel.FeatureCount]), 1e-9 * score.Value);
    }

    [Theory]
    [InlineData(128, 128, 1)]
    [InlineData(200, 100, 2)]
    public void An_image_without_any_block_of_finite_features_is_NaN_with_the_reason(int width, int height, int blocks)
    {
        // Uniform grey: every block is flat, so no block has all 36 features finite and the covariance has no sample.
        var image = new RgbImage(width, height, Enumerable.Repeat((byte)128, width * height * 3).ToArray());
        using var niqe = new Niqe();

        var score = niqe.Score(image);

        double.IsNaN(score.Value).Should().BeTrue();
        double.IsNaN(niqe.Compute(image)).Should().BeTrue();
        score.Note.Should().Contain($"none of the {blocks} 96x96 block(s)").And.Contain("flat");
    }

    [Fact]
    public void Images_smaller_than_one_block_are_rejected()
    {
        using var niqe = new Niqe();
        var act = () => niqe.Compute(new RgbImage(95, 200, new byte[95 * 200 * 3]));
        act.Should().Throw<ArgumentException>().WithMessage("*96x96*95x200*");
    }

    /// <summary>pyiqa's distance, restated: sqrt((μp − μ)ᵀ·pinv((Σp + Σ)/2)·(μp − μ)), μp and Σp cast to float32.</summary>
    private static double PyiqaDistance(double[] mean, double[,] cov)
    {
        int n = NiqeModel.FeatureCount;
        var pristine = NiqeModel.Default;
        var pcov = pristine.Covariance;
        var avg = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                avg[i, j] = ((float)pcov[i, j] + cov[i, j]) / 2;
            }
        }

        var inv = SymmetricEigen.PseudoInverse(avg);
        var d = Enumerable.Range(0, n).Select(f => (float)pristine.Mean[f] - mean[f]).ToArray();
        double q = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                q += d[i] * inv[i, j] * d[j];
            }
        }

        return Math.Sqrt(q);
    }

    /// <summary>Grey image: white left of <paramref name="whiteBefore"/>, black from <paramref name="blackFrom"/>, fixed hash noise between.</summary>
    private static RgbImage FlatAndNoise(int width, int height, int whiteBefore, int blackFrom)
    {
        var px = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                uint h = unchecked(((uint)x * 73856093u) ^ ((uint)y * 19349663u));
                h = unchecked((h ^ (h >> 13)) * 0x5bd1e995u);
                h ^= h >> 15;
                byte v = x < whiteBefore ? (byte)255 : x >= blackFrom ? (byte)0 : (byte)(20 + (h % 216));
                px[(((y * width) + x) * 3) + 0] = v;
                px[(((y * width) + x) * 3) + 1] = v;
                px[(((y * width) + x) * 3) + 2] = v;
            }
        }

        return new RgbImage(width, height, px);
    }
}
