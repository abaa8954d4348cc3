using TsdSr.Evaluation.Metrics;
using TsdSr.Evaluation.Runner;
using TsdSr.Imaging;

namespace TsdSr.Tests.Evaluation.Runner;

/// <summary>One bad file or one failing metric never sinks an evaluation: each is named and left out of the means.</summary>
public sealed class EvaluationRunnerFailureTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("tsdsr-eval-fail-").FullName;

    public EvaluationRunnerFailureTests()
    {
        Directory.CreateDirectory(Sr);
        Directory.CreateDirectory(Hr);
        foreach (var (name, value) in new[] { ("a.png", (byte)100), ("b.png", (byte)120) })
        {
            ImageCodec.Save(Flat(16, 16, value), Path.Combine(Sr, name));
            ImageCodec.Save(Flat(16, 16, 110), Path.Combine(Hr, name));
        }
    }

    private string Sr => Path.Combine(root, "sr");

    private string Hr => Path.Combine(root, "hr");

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static RgbImage Flat(int w, int h, byte value) => new(w, h, Enumerable.Repeat(value, w * h * 3).ToArray());

    [Theory]
    [InlineData("corrupt", "not a PNG, JPEG, BMP or WebP image")]
    [InlineData("empty", "empty (0 bytes)")]
    [InlineData("truncated", "truncated")]
    public void An_unreadable_image_is_named_and_the_others_are_evaluated(string kind, string reason)
    {
        var bad = Path.Combine(Sr, "c.jpg");
        File.Copy(Path.Combine(Sr, "a.png"), Path.Combine(Hr, "c.jpg"));
        switch (kind)
        {
            case "corrupt":
                File.WriteAllText(bad, "garbage");
                break;
            case "empty":
                File.WriteAllBytes(bad, []);
                break;
            default:
                ImageCodec.Save(TsdSr.Tests.Imaging.ImageCodecIntegrityTests.Noise(64, 64), bad);
                File.Copy(bad, Path.Combine(Hr, "c.jpg"), overwrite: true);
                File.WriteAllBytes(bad, File.ReadAllBytes(bad)[..^400]);
                break;
        }

        var progress = new List<EvaluationProgress>();
        var report = new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr, Metrics = ["psnr"] }, new SyncProgress<EvaluationProgress>(progress.Add));

        report.Failures.Should().ContainSingle().Which.Should().Match<ImageFailure>(f => f.Name == "c.jpg" && f.Reason.Contains(reason));
        report.Images.Select(i => i.Name).Should().Equal("a.png", "b.png");
        report.Mean["psnr"].Should().BeApproximately(report.Images.Average(i => i.Values["psnr"]), 1e-12);
        progress.Should().Contain(p => p.ImageName == "c.jpg" && p.Error != null);
        progress.Select(p => p.Done).Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Images_over_the_pixel_limit_are_refused_from_the_header_and_name_the_flag()
    {
        var report = new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr, Metrics = ["psnr"], MaxPixels = 100 });

        report.Failures.Should().HaveCount(2);
        report.Failures[0].Reason.Should().Contain("16x16 is 256 pixels, over the limit of 100 (EvaluationOptions.MaxPixels; tsdsr eval --max-pixels)");
        report.Images.Should().BeEmpty();
        double.IsNaN(report.Mean["psnr"]).Should().BeTrue();
    }

    [Fact]
    public void A_metric_that_returns_nan_or_throws_for_one_image_leaves_a_named_gap_that_the_mean_skips()
    {
        var registry = new MetricRegistry();
        registry.Register(new MetricDescriptor("odd", MetricKind.NoReference, false, "test", [], _ => new Odd()));

        var report = new EvaluationRunner(registry).Run(new EvaluationOptions { SrDirectory = Sr, Metrics = ["odd"] });

        report.Images.Select(i => i.Values["odd"]).Should().Equal(double.NaN, 1.0);
        report.Images[0].Notes["odd"].Should().Be("too flat to judge");
        report.Mean["odd"].Should().Be(1.0);
        report.Warnings.Should().Contain("odd: no value for 1 image(s), left out of the mean: a.png (too flat to judge).");
        report.Failures.Should().BeEmpty();
    }

    [Fact]
    public void A_default_metric_whose_weights_cannot_be_read_is_named_and_the_others_run()
    {
        var weights = Directory.CreateDirectory(Path.Combine(root, "weights")).FullName;
        File.WriteAllText(Path.Combine(weights, "alexnet.safetensors"), "not a safetensors file at all");

        var report = new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr, WeightsDirectory = weights });

        report.MetricFailures.Should().ContainSingle().Which.Should().StartWith("Metric 'lpips' could not be created:").And.Contain("alexnet.safetensors");
        report.Metrics.Select(m => m.Name).Should().Contain("psnr").And.NotContain("lpips");
        report.IsComplete.Should().BeFalse();

        var explicitly = () => new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr, WeightsDirectory = weights, Metrics = ["lpips"] });
        explicitly.Should().Throw<MetricUnavailableException>().WithMessage("Metric 'lpips' could not be created:*");
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>NaN with a reason for the first image, 1 for the second.</summary>
    private sealed class Odd : INoReferenceMetric
    {
        private int calls;

        public string Name => "odd";

        public bool LowerIsBetter => false;

        public MetricKind Kind => MetricKind.NoReference;

        public double Compute(RgbImage image) => calls++ == 0 ? throw new ArgumentException("too flat to judge") : 1.0;

        public void Dispose()
        {
        }
    }
}
