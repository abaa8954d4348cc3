using TsdSr.Evaluation.Metrics;
using TsdSr.Imaging;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Evaluation.Metrics;

public class MetricRegistryTests
{
    private sealed class Constant : INoReferenceMetric
    {
        public string Name => "const";

        public bool LowerIsBetter => false;

        public MetricKind Kind => MetricKind.NoReference;

        public double Compute(RgbImage image) => 42;

        public void Dispose()
        {
        }
    }

    [Fact]
    public void Default_registry_holds_every_paper_metric()
    {
        var r = MetricRegistry.CreateDefault();
        r.Names.Should().Contain(BuiltInMetrics.PaperMetrics);
        r.Get("NIQE").LowerIsBetter.Should().BeTrue();
        r.Get("psnr").Kind.Should().Be(MetricKind.FullReference);
        r.Get("fid").Kind.Should().Be(MetricKind.Distribution);
    }

    [Fact]
    public void Weight_free_metrics_are_created_without_a_weights_directory()
    {
        var r = MetricRegistry.CreateDefault();
        foreach (var name in new[] { "psnr", "ssim", "niqe", "psnr-rgb", "ssim-rgb" })
        {
            using var m = r.Create(name);
            m.Name.Should().Be(name);
        }
    }

    [Fact]
    public void Lpips_without_weights_names_the_backbone_file_and_format()
    {
        var act = () => MetricRegistry.CreateDefault().Create("lpips");
        act.Should().Throw<MetricUnavailableException>()
            .WithMessage("*not available: needs 'alexnet.safetensors'*features.*--weights*")
            .Which.MissingFile.Should().Be("alexnet.safetensors");
    }

    [Fact]
    public void Lpips_is_created_from_a_sharded_index_in_the_weights_directory()
    {
        var dir = Directory.CreateTempSubdirectory("tsdsr-w-").FullName;
        try
        {
            foreach (var f in Directory.GetFiles(FixturePaths.Get("lpips_alex_random_backbone"), "alexnet_features*"))
            {
                File.Copy(f, Path.Combine(dir, Path.GetFileName(f).Replace("alexnet_features", "alexnet", StringComparison.Ordinal)));
            }

            // The index names its shards; keep them under their original names too.
            foreach (var f in Directory.GetFiles(FixturePaths.Get("lpips_alex_random_backbone"), "*.safetensors"))
            {
                File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            }

            using var m = MetricRegistry.CreateDefault().Create("lpips", new MetricContext { WeightsDirectory = dir });
            m.Kind.Should().Be(MetricKind.FullReference);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("musiq", "musiq_koniq.safetensors")]
    [InlineData("maniqa", "maniqa_pipal.safetensors")]
    [InlineData("clipiqa", "clip_rn50.safetensors")]
    [InlineData("dists", "vgg16.safetensors")]
    [InlineData("fid", "pt_inception-2015-12-05.safetensors")]
    public void Metrics_without_their_weights_report_not_available_with_the_file_they_need(string name, string file)
    {
        var act = () => MetricRegistry.CreateDefault().Create(name);
        act.Should().Throw<MetricUnavailableException>().WithMessage($"*'{name}' is not available: needs '{file}'*");
    }

    [Fact]
    public void Unknown_names_list_the_known_metrics()
    {
        var act = () => MetricRegistry.CreateDefault().Create("brisque");
        act.Should().Throw<ArgumentException>().WithMessage("*brisque*psnr*niqe*");
    }

    [Fact]
    public void New_metrics_plug_in_by_registration()
    {
        var r = MetricRegistry.CreateDefault();
        r.Register(new MetricDescriptor("const", MetricKind.NoReference, false, "test", [], _ => new Constant()));
        using var m = (INoReferenceMetric)r.Create("const");
        m.Compute(new RgbImage(1, 1, new byte[3])).Should().Be(42);
    }
}
