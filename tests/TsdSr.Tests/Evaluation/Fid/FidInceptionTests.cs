using TsdSr.Core.SafeTensors;
using TsdSr.Evaluation.Fid;
using TsdSr.Imaging;

namespace TsdSr.Tests.Evaluation.Fid;

public sealed class FidInceptionTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-fid-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void State_dict_keys_and_shapes_follow_torchvision_inception_v3()
    {
        using var net = new FidInception();
        var sd = net.state_dict();
        sd.Keys.Count(k => k.EndsWith(".conv.weight", StringComparison.Ordinal)).Should().Be(94);
        sd["Conv2d_1a_3x3.conv.weight"].shape.Should().Equal(32, 3, 3, 3);
        sd["Mixed_6b.branch7x7_2.conv.weight"].shape.Should().Equal(128, 128, 1, 7);
        sd["Mixed_7c.branch3x3dbl_3b.conv.weight"].shape.Should().Equal(384, 384, 3, 1);
        sd["Mixed_7c.branch_pool.bn.running_var"].shape.Should().Equal(192);
    }

    [Fact]
    public void Average_pool_branches_exclude_the_padding()
    {
        // The FID blocks call avg_pool2d(x, 3, 1, 1, ceil_mode: false, count_include_pad: false) positionally.
        using var scope = NewDisposeScope();
        var y = nn.functional.avg_pool2d(ones(1, 1, 4, 4), 3, 1, 1, false, false);
        y.min().item<float>().Should().Be(1f);
    }

    [Fact]
    public void Features_of_an_image_set_are_2048_dimensional_non_negative_pool3_vectors()
    {
        var paths = new[] { Save("a.png", seed: 1, shift: 0), Save("b.png", seed: 2, shift: 60) };
        using var metric = new FidMetric(new FidInception());
        using var features = metric.Features(paths);
        features.shape.Should().Equal(2, 2048);
        features.min().item<float>().Should().BeGreaterThanOrEqualTo(0f, "pool3 follows ReLUs");
        features.isfinite().all().item<bool>().Should().BeTrue();
    }

    [Fact]
    public void A_weight_file_of_another_network_is_rejected_with_the_expected_format()
    {
        var weights = Path.Combine(dir, "pt_inception-2015-12-05.safetensors");
        using (var scope = NewDisposeScope())
        {
            SafetensorsWriter.Save(weights, new Dictionary<string, Tensor> { ["features.0.weight"] = zeros(2, 2) });
        }

        var act = () => FidInception.Create(weights);
        act.Should().Throw<InvalidDataException>().WithMessage("*FID-Inception*Conv2d_1a_3x3*");
    }

    [Fact]
    public void A_missing_weight_file_is_named_with_the_expected_format()
    {
        var act = () => FidInception.Create(Path.Combine(dir, "pt_inception-2015-12-05.safetensors"));
        act.Should().Throw<FileNotFoundException>().WithMessage("*pt_inception-2015-12-05.safetensors*Conv2d_1a_3x3*");
    }

    private string Save(string name, int seed, int shift)
    {
        var rng = new Random(seed);
        var px = new byte[64 * 48 * 3];
        for (int i = 0; i < px.Length; i++)
        {
            px[i] = (byte)Math.Clamp((i % 97) + shift + rng.Next(40), 0, 255);
        }

        var path = Path.Combine(dir, name);
        ImageCodec.SavePng(new RgbImage(64, 48, px), path);
        return path;
    }
}
