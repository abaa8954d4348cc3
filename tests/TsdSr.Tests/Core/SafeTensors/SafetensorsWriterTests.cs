using TsdSr.Core.SafeTensors;

namespace TsdSr.Tests.Core.SafeTensors;

public class SafetensorsWriterTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-st-w-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string[] LeftoverTemporaryFiles() => Directory.GetFiles(dir, "*.tmp-*", SearchOption.AllDirectories);

    [Fact]
    public void Non_contiguous_tensors_metadata_and_empty_tensors_round_trip()
    {
        using var source = arange(12, dtype: float32).reshape(3, 4);
        using var transposed = source.t();
        using var empty = zeros(0, 5, dtype: float16);
        var path = Path.Combine(dir, "t.safetensors");
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["t"] = transposed, ["e"] = empty }, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "é" });

        using var file = SafetensorsFile.Open(path);
        file.Metadata.Should().Equal(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "é" });
        using var back = file.Read("t");
        back.shape.Should().Equal(4, 3);
        back.data<float>().ToArray().Should().Equal(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        using var e = file.Read("e");
        e.shape.Should().Equal(0, 5);
        e.dtype.Should().Be(ScalarType.Float16);
    }

    [Fact]
    public void The_data_section_starts_on_an_8_byte_boundary()
    {
        using var t = ones(3);
        var path = Path.Combine(dir, "a.safetensors");
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["abc"] = t });
        var headerLength = BitConverter.ToUInt64(File.ReadAllBytes(path), 0);
        (headerLength % 8).Should().Be(0);
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_file_intact_and_no_temporary_file()
    {
        var path = Path.Combine(dir, "keep.safetensors");
        using var good = ones(2);
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["x"] = good });
        var before = File.ReadAllBytes(path);

        using var complex = zeros(2, dtype: complex64);
        var act = () => SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["x"] = good, ["z"] = complex });
        act.Should().Throw<NotSupportedException>();

        File.ReadAllBytes(path).Should().Equal(before);
        LeftoverTemporaryFiles().Should().BeEmpty();
    }

    [Fact]
    public void A_save_that_fails_when_moving_into_place_removes_its_temporary_file()
    {
        var target = Path.Combine(dir, "occupied");
        Directory.CreateDirectory(target); // a folder where the file should go: the final move must fail
        using var t = ones(4);
        var act = () => SafetensorsWriter.Save(target, new Dictionary<string, Tensor> { ["x"] = t });
        act.Should().Throw<IOException>();
        Directory.Exists(target).Should().BeTrue();
        LeftoverTemporaryFiles().Should().BeEmpty();
    }

    [Fact]
    public void Saving_over_an_existing_file_replaces_it_completely()
    {
        var path = Path.Combine(dir, "over.safetensors");
        using var big = ones(1000);
        using var small = full(new long[] { 2 }, 7f);
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["big"] = big });
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["small"] = small });

        using var file = SafetensorsFile.Open(path);
        file.Tensors.Keys.Should().Equal("small");
        using var back = file.Read("small");
        back.data<float>().ToArray().Should().Equal(7f, 7f);
    }

    [Fact]
    public void Reserved_or_duplicate_names_are_refused_before_writing()
    {
        var path = Path.Combine(dir, "r.safetensors");
        using var t = ones(1);
        var reserved = () => SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["__metadata__"] = t });
        reserved.Should().Throw<ArgumentException>().WithMessage("*__metadata__*");
        var duplicate = () => SafetensorsWriter.Save(path, new[] { KeyValuePair.Create("a", t), KeyValuePair.Create("a", t) });
        duplicate.Should().Throw<ArgumentException>().WithMessage("*'a'*");
        File.Exists(path).Should().BeFalse();
    }

    [Theory]
    [InlineData(ScalarType.Float32, ScalarType.BFloat16)]
    [InlineData(ScalarType.Float32, ScalarType.Float16)]
    [InlineData(ScalarType.Float16, ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16, ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16, ScalarType.Float16)]
    [InlineData(ScalarType.Float16, ScalarType.BFloat16)]
    [InlineData(ScalarType.Float32, ScalarType.Float64)]
    public void ReadInto_converts_between_float_dtypes(ScalarType stored, ScalarType destination)
    {
        // Values exactly representable in every one of these dtypes, so conversion must be exact.
        float[] values = [0f, 1f, -2.5f, 0.125f, 96f, -0.75f];
        using var source = tensor(values).to(stored);
        var path = Path.Combine(dir, "c.safetensors");
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["w"] = source });
        using var file = SafetensorsFile.Open(path);
        file.Tensors["w"].DType.Should().Be(SafetensorsDType.FromScalarType(stored));

        using var target = zeros(values.Length, dtype: destination);
        file.ReadInto("w", target);
        target.dtype.Should().Be(destination);
        using var asFloat = target.to(float32);
        asFloat.data<float>().ToArray().Should().Equal(values);
    }

    [Theory]
    [InlineData(ScalarType.Float16, ScalarType.BFloat16)]
    [InlineData(ScalarType.BFloat16, ScalarType.Float32)]
    [InlineData(ScalarType.Float32, ScalarType.Float16)]
    public void ReadInto_converts_a_tensor_of_several_staging_chunks_exactly_as_a_whole_cast(ScalarType stored, ScalarType destination)
    {
        // 2.5 staging chunks of 4 MiB at the stored size, with a ragged end: every chunk lands at its own offset.
        long count = (long)(2.5 * (4 << 20) / SafetensorsDType.ElementSize(SafetensorsDType.FromScalarType(stored))) + 7;
        using var source = randn(new long[] { count / 7 + 1, 7 }, generator: new Generator(5)).to(stored);
        var path = Path.Combine(dir, "big.safetensors");
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["w"] = source });
        using var file = SafetensorsFile.Open(path);

        using var target = full(source.shape, double.NaN, destination);
        file.ReadInto("w", target);

        using var expected = source.to(destination);
        target.allclose(expected, 0, 0).Should().BeTrue("staged conversion is the same cast, chunk by chunk");
    }

    [Fact]
    public void ReadInto_writes_into_a_non_contiguous_destination()
    {
        using var source = arange(6, dtype: float32).reshape(2, 3);
        var path = Path.Combine(dir, "nc.safetensors");
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["w"] = source });
        using var file = SafetensorsFile.Open(path);
        using var backing = zeros(3, 2);
        using var view = backing.t();
        file.ReadInto("w", view);
        backing.data<float>().ToArray().Should().Equal(0, 3, 1, 4, 2, 5);
    }
}
