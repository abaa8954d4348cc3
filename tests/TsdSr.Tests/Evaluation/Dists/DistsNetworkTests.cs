using TsdSr.Core.SafeTensors;
using TsdSr.Evaluation.Dists;

namespace TsdSr.Tests.Evaluation.Dists;

public sealed class DistsNetworkTests : IDisposable
{
    private static readonly int[] ConvIndices = [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28];
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-dists-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A seeded random VGG16 in torchvision layout, with a classifier key that must be ignored.</summary>
    private string RandomVgg16()
    {
        using var scope = NewDisposeScope();
        var gen = manual_seed(11);
        long[] outs = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512];
        long inC = 3;
        var tensors = new Dictionary<string, Tensor>();
        for (int i = 0; i < ConvIndices.Length; i++)
        {
            tensors[$"features.{ConvIndices[i]}.weight"] = randn(outs[i], inC, 3, 3) * Math.Sqrt(2.0 / (inC * 9));
            tensors[$"features.{ConvIndices[i]}.bias"] = zeros(outs[i]);
            inC = outs[i];
        }

        tensors["classifier.0.weight"] = zeros(4, 4);
        var path = Path.Combine(dir, "vgg16.safetensors");
        SafetensorsWriter.Save(path, tensors);
        return path;
    }

    [Fact]
    public void State_dict_keys_follow_pyiqa_stage_names()
    {
        using var net = new DistsNetwork();
        var keys = net.state_dict().Keys.ToList();
        keys.Should().Contain(["stage1.0.weight", "stage2.4.filter", "stage2.5.weight", "stage3.9.filter", "stage5.28.bias", "alpha", "beta", "mean", "std"]);
        keys.Count(k => k.EndsWith(".weight", StringComparison.Ordinal)).Should().Be(13);
    }

    [Theory]
    [InlineData("features.0.weight", "stage1.0.weight")]
    [InlineData("features.7.bias", "stage2.7.bias")]
    [InlineData("features.14.weight", "stage3.14.weight")]
    [InlineData("features.21.weight", "stage4.21.weight")]
    [InlineData("features.28.bias", "stage5.28.bias")]
    [InlineData("classifier.0.weight", null)]
    public void Torchvision_keys_map_onto_the_stages(string key, string? expected) =>
        DistsNetwork.MapTorchvisionKey(key).Should().Be(expected);

    [Fact]
    public void Embedded_alpha_and_beta_have_the_published_sums()
    {
        using var net = DistsNetwork.Create(RandomVgg16());
        var sd = net.state_dict();
        sd["alpha"].sum().item<float>().Should().BeApproximately(0.876050f, 1e-5f);
        sd["beta"].sum().item<float>().Should().BeApproximately(0.123950f, 1e-5f);
    }

    [Fact]
    public void Identical_images_score_zero_and_different_ones_score_between_zero_and_one()
    {
        using var net = DistsNetwork.Create(RandomVgg16());
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var gen = manual_seed(5);
        var x = rand(1, 3, 64, 64);
        var y = (x + (0.2 * randn(1, 3, 64, 64))).clamp(0, 1);
        net.forward(x, x).item<float>().Should().BeApproximately(0f, 1e-6f);
        var d = net.forward(x, y).item<float>();
        d.Should().BeGreaterThan(0f).And.BeLessThan(1f);
    }

    [Fact]
    public void Is_differentiable_with_respect_to_the_restored_image()
    {
        using var net = DistsNetwork.Create(RandomVgg16());
        using var scope = NewDisposeScope();
        var gen = manual_seed(6);
        var x = rand(1, 3, 32, 32).requires_grad_(true);
        net.forward(x, rand(1, 3, 32, 32)).sum().backward();
        x.grad!.abs().sum().item<float>().Should().BeGreaterThan(0);
    }

    [Fact]
    public void L2_pooling_keeps_a_constant_interior_and_halves_the_size()
    {
        using var pool = new L2Pooling(2);
        using var scope = NewDisposeScope();
        var y = pool.forward(full(1, 2, 8, 8, 0.5f));
        y.shape.Should().Equal(1, 2, 4, 4);
        y[0, 0, 2, 2].item<float>().Should().BeApproximately(0.5f, 1e-6f);
        y[0, 0, 0, 0].item<float>().Should().BeLessThan(0.5f, "zero padding lowers the border");
    }

    [Fact]
    public void A_missing_backbone_names_the_file_and_format()
    {
        var act = () => DistsNetwork.Create(Path.Combine(dir, "vgg16.safetensors"));
        act.Should().Throw<FileNotFoundException>().WithMessage("*vgg16.safetensors*features.*");
    }
}
