using TorchSharp.Modules;
using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;

namespace TsdSr.Tests.Core.StateDicts;

/// <summary>Weights of another kind (I32 for F32) and non-finite weights are refused by name, not loaded silently.</summary>
public sealed class WeightLoaderValueTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-wv-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(Func<Tensor> weight, Func<Tensor> bias)
    {
        var path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".safetensors");
        using var w = weight();
        using var b = bias();
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["weight"] = w, ["bias"] = b });
        return path;
    }

    [Fact]
    public void An_integer_tensor_where_the_model_has_floats_is_refused_before_anything_is_written()
    {
        using var linear = nn.Linear(3, 2);
        using var before = linear.weight!.detach().clone();
        var path = Write(() => ones(2, 3, ScalarType.Int32), () => zeros(2));

        var act = () => WeightLoader.Load(linear, path);

        var e = act.Should().Throw<WeightLoadException>().Which;
        e.Message.Should().Contain("1 key(s) with values of another kind (not convertible):").And.Contain("weight: model Float32, file I32");
        e.Report.WrongDTypes.Select(m => m.Key).Should().Equal("weight");
        linear.weight!.allclose(before, 0, 0).Should().BeTrue();
    }

    [Fact]
    public void Half_precision_weights_still_load_into_a_float_model()
    {
        using var linear = nn.Linear(3, 2);
        var path = Write(() => ones(2, 3, ScalarType.Float16), () => zeros(2, ScalarType.BFloat16));

        WeightLoader.Load(linear, path).IsExact.Should().BeTrue();

        linear.weight!.sum().item<float>().Should().Be(6);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Non_finite_weights_are_named(float value)
    {
        using var linear = nn.Linear(3, 2);
        var path = Write(() => full(new long[] { 2, 3 }, value), () => zeros(2));

        var strict = () => WeightLoader.Load(linear, path);

        strict.Should().Throw<WeightLoadException>().WithMessage("*1 key(s) holding NaN or infinite values:*weight*")
            .Which.Report.NonFinite.Should().Equal("weight");
        var lenient = WeightLoader.Load(linear, path, new WeightLoadOptions { Strict = false });
        lenient.NonFinite.Should().Equal("weight");
        lenient.IsExact.Should().BeFalse();
    }
}
