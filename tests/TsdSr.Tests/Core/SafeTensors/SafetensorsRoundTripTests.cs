using TsdSr.Core.SafeTensors;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Core.SafeTensors;

public class SafetensorsRoundTripTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-st-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Fixture_files_are_read_with_names_shapes_and_metadata()
    {
        using var file = SafetensorsFile.Open(FixturePaths.Get("sd3_transformer_tiny", "diffusion_pytorch_model.safetensors"));
        file.Tensors.Should().HaveCount(95);
        file.Metadata.Should().Contain("format", "pt");
        file.Tensors["pos_embed.proj.weight"].Shape.Should().Equal(32, 16, 2, 2);
        file.Tensors["pos_embed.pos_embed"].Shape.Should().Equal(1, 576, 32);
    }

    [Fact]
    public void Save_then_reload_is_bit_identical_and_byte_identical_to_the_reference_writer()
    {
        var source = FixturePaths.Get("sd3_vae_tiny", "io.safetensors");
        var tensors = SafetensorsFile.LoadAll(source);
        try
        {
            using var original = SafetensorsFile.Open(source);
            var copy = Path.Combine(dir, "copy.safetensors");
            SafetensorsWriter.Save(copy, tensors, original.Metadata);

            File.ReadAllBytes(copy).Should().Equal(File.ReadAllBytes(source));
            var reloaded = SafetensorsFile.LoadAll(copy);
            foreach (var (k, t) in tensors)
            {
                reloaded[k].allclose(t, 0, 0).Should().BeTrue(k);
                reloaded[k].Dispose();
            }
        }
        finally
        {
            foreach (var t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Int64)]
    public void Dtypes_round_trip(ScalarType dtype)
    {
        using var t = arange(0, 24, dtype: float32).reshape(2, 3, 4).to(dtype);
        var path = Path.Combine(dir, "t.safetensors");
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["x"] = t });
        using var file = SafetensorsFile.Open(path);
        using var back = file.Read("x");
        back.dtype.Should().Be(dtype);
        back.allclose(t, 0, 0).Should().BeTrue();
    }

    [Fact]
    public void ReadInto_converts_dtype_and_rejects_a_wrong_shape()
    {
        using var t = randn(3, 5);
        var path = Path.Combine(dir, "t.safetensors");
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["x"] = t });
        using var file = SafetensorsFile.Open(path);
        using var bf = zeros(new long[] { 3, 5 }, bfloat16);
        file.ReadInto("x", bf);
        TensorAssert.MaxAbsDiff(bf, t).Should().BeLessThan(0.02);

        using var wrong = zeros(5, 3);
        var act = () => file.ReadInto("x", wrong);
        act.Should().Throw<ArgumentException>().WithMessage("*[3, 5]*[5, 3]*");
    }
}
