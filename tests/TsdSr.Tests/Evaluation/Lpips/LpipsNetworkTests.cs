using System.Text.Json;
using TsdSr.Evaluation.Lpips;
using TsdSr.Imaging;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Evaluation.Lpips;

public class LpipsNetworkTests(ITestOutputHelper output)
{
    private const string Fixture = "lpips_alex_random_backbone";

    /// <summary>
    /// The fixture README's absolute bar. Measured: max 2.1e-9 on the total and 9.3e-10 per layer over the 6 pairs.
    /// </summary>
    private const double Tolerance = 1e-6;

    private static string Index => FixturePaths.Get(Fixture, "alexnet_features.safetensors.index.json");

    private static Tensor Load(string sharedRelative)
    {
        // Paths in lpips_reference.json are relative to shared/: data/... → tests data/, fixtures/... → tests fixtures/.
        var parts = sharedRelative.Split('/');
        var path = parts[0] == "data"
            ? Path.Combine([EvaluationData.Root, .. parts[1..]])
            : FixturePaths.Get(parts[1..]);
        return ImageTensors.ToTensor(ImageCodec.Load(path));
    }

    public static IEnumerable<object[]> Pairs()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FixturePaths.Get(Fixture, "lpips_reference.json")));
        return doc.RootElement.GetProperty("pairs").EnumerateArray().Select(p => new object[] { p.GetProperty("pair").GetString()! }).ToList();
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Matches_the_official_lpips_on_each_reference_pair_within_1e_6(string pairName)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FixturePaths.Get(Fixture, "lpips_reference.json")));
        var pair = doc.RootElement.GetProperty("pairs").EnumerateArray().Single(p => p.GetProperty("pair").GetString() == pairName);
        using var net = LpipsNetwork.Create(LpipsBackbone.Alex, Index);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var dist = Load(pair.GetProperty("dist").GetString()!);
        var refer = Load(pair.GetProperty("ref").GetString()!);
        var layers = net.ForwardLayers(dist, refer);
        var expectedLayers = pair.GetProperty("per_layer_f32").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double maxErr = 0;
        for (int k = 0; k < 5; k++)
        {
            double err = Math.Abs(layers[k].item<float>() - expectedLayers[k]);
            maxErr = Math.Max(maxErr, err);
            err.Should().BeLessThan(Tolerance, $"layer {k}");
        }

        double total = layers.Select(l => (double)l.item<float>()).Sum();
        double totalErr = Math.Abs(total - pair.GetProperty("lpips_f32").GetDouble());
        output.WriteLine($"LPIPS {pairName}: |error| total {totalErr:E3}, max per layer {maxErr:E3}");
        totalErr.Should().BeLessThan(Tolerance);
    }

    [Fact]
    public void Forward_returns_the_sum_of_the_per_layer_terms_per_batch_item()
    {
        using var net = LpipsNetwork.Create(LpipsBackbone.Alex, Index);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var gen = manual_seed(3);
        var x = rand(2, 3, 64, 64);
        var y = rand(2, 3, 64, 64);
        var total = net.forward(x, y);
        total.shape.Should().Equal(2);
        var sum = net.ForwardLayers(x, y).Aggregate((a, b) => a + b).flatten();
        (total - sum).abs().max().item<float>().Should().BeLessThan(1e-7f);
    }

    [Fact]
    public void Is_differentiable_with_respect_to_the_restored_image()
    {
        using var net = LpipsNetwork.Create(LpipsBackbone.Alex, Index);
        using var scope = NewDisposeScope();
        var gen = manual_seed(7);
        var x = rand(1, 3, 64, 64).requires_grad_(true);
        var y = rand(1, 3, 64, 64);
        var loss = net.forward(x, y).sum();
        loss.backward();
        x.grad.Should().NotBeNull();
        x.grad!.abs().sum().item<float>().Should().BeGreaterThan(0);
    }

    [Fact]
    public void Identical_inputs_have_zero_distance()
    {
        using var net = LpipsNetwork.Create(LpipsBackbone.Alex, Index);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = rand(2, 3, 64, 64);
        net.forward(x, x).abs().max().item<float>().Should().Be(0);
    }

    [Fact]
    public void State_dict_keys_follow_lpips_and_torchvision_names()
    {
        using var net = new LpipsNetwork(LpipsBackbone.Vgg16);
        var keys = net.state_dict().Keys.ToList();
        keys.Should().Contain(["features.0.weight", "features.28.bias", "lin0.model.1.weight", "lin4.model.1.weight", "scaling_layer.shift", "scaling_layer.scale"]);
        keys.Where(k => k.StartsWith("features.", StringComparison.Ordinal)).Should().HaveCount(26);
    }

    [Fact]
    public void A_missing_backbone_file_is_named_with_the_expected_format()
    {
        var act = () => LpipsNetwork.Create(LpipsBackbone.Alex, "/nonexistent/alexnet.safetensors");
        act.Should().Throw<FileNotFoundException>().WithMessage("*alexnet.safetensors*features.*");
    }

    [Fact]
    public void A_backbone_of_the_wrong_architecture_is_rejected_with_the_expected_format()
    {
        var act = () => LpipsNetwork.Create(LpipsBackbone.Vgg16, Index);
        act.Should().Throw<InvalidDataException>().WithMessage("*VGG16*features.*");
    }
}
