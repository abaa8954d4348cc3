using TsdSr.Core.Pickle;
using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Core.Pickle;

public class PyTorchCheckpointTests : IDisposable
{
    private const string Embeddings = "embeddings";
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-pt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Fixture(string file) => FixturePaths.Get("tsdsr_pipeline_tiny", Embeddings, file);

    private static byte[] RawBytes(Tensor t) => t.contiguous().bytes.ToArray();

    [Theory]
    [InlineData("prompt_embeds.pt", "prompt_embeds", new long[] { 1, 7, 32 })]
    [InlineData("pool_embeds.pt", "pooled_prompt_embeds", new long[] { 1, 24 })]
    public void Torch_save_tensors_of_the_fixture_equal_its_safetensors_copy_bit_for_bit(string file, string key, long[] shape)
    {
        using (var checkpoint = PyTorchCheckpoint.Open(Fixture(file)))
        {
            checkpoint.IsSingleTensor.Should().BeTrue();
            checkpoint.Tensors[PyTorchCheckpoint.RootTensorName].DType.Should().Be("F32");
            checkpoint.Tensors[PyTorchCheckpoint.RootTensorName].Shape.Should().Equal(shape);
        }

        using var fromPickle = PyTorchCheckpoint.LoadTensor(Fixture(file));
        using var safetensors = SafetensorsFile.Open(Fixture("embeddings.safetensors"));
        using var expected = safetensors.Read(key);
        fromPickle.dtype.Should().Be(ScalarType.Float32);
        fromPickle.shape.Should().Equal(shape);
        RawBytes(fromPickle).Should().Equal(RawBytes(expected));
    }

    [Fact]
    public void TensorSources_opens_pt_files_with_the_pickle_reader()
    {
        using var source = TensorSources.Open(Fixture("pool_embeds.pt"));
        source.Should().BeOfType<PyTorchCheckpoint>();
        source.Tensors.Keys.Should().Equal(PyTorchCheckpoint.RootTensorName);
        source.Metadata.Should().BeEmpty();
    }

    /// <summary>
    /// A state dict like torch.save writes it: OrderedDict + SETITEMS + BUILD(_metadata), with every supported float
    /// and integer dtype, a storage offset, a transposed view, shared storages, a Parameter, a nested dict and an int.
    /// </summary>
    private string WriteStateDict()
    {
        var p = new PickleBuilder().Proto().OrderedDict().Put(0).Mark();
        p.Str("f32").Tensor("0", "FloatStorage", 2, 3);
        p.Str("f16").Tensor("1", "HalfStorage", 4);
        p.Str("bf16").Tensor("2", "BFloat16Storage", 3);
        p.Str("f64").Tensor("3", "DoubleStorage", 2);
        p.Str("i64").Tensor("4", "LongStorage", 2);
        p.Str("offset").Tensor("0", "FloatStorage", 6, 2, [2, 2], [2, 1]);
        p.Str("transposed").Tensor("0", "FloatStorage", 6, 0, [3, 2], [1, 3]);
        p.Str("param").Global("torch._utils", "_rebuild_parameter").Mark().Tensor("3", "DoubleStorage", 2).Raw(0x88).OrderedDict().Tuple().Reduce();
        p.Str("nested").EmptyDict().Mark().Str("inner").Tensor("1", "HalfStorage", 4, 1, [2], [2]).SetItems();
        p.Str("epoch").Int(7);
        p.SetItems();
        p.EmptyDict().Mark().Str("_metadata").OrderedDict().SetItems().Build();
        p.Stop();

        var storages = new Dictionary<string, byte[]>
        {
            ["0"] = TorchZip.Bytes(0f, 1f, 2f, 3f, 4f, 5f),
            ["1"] = TorchZip.Bytes((Half)0.5f, (Half)(-1f), (Half)2f, (Half)65504f),
            ["2"] = TorchZip.Bytes<ushort>(0x3FC0, 0xC000, 0x3E20), // bf16 of 1.5, -2, 0.15625
            ["3"] = TorchZip.Bytes(1e-300, -3.25),
            ["4"] = TorchZip.Bytes(long.MinValue, 1L << 40),
        };
        return TorchZip.Write(Path.Combine(dir, "state.pt"), p.ToArray(), storages);
    }

    private static float[] Floats(Tensor t)
    {
        using var f = t.to(float32).contiguous();
        return f.data<float>().ToArray();
    }

    [Fact]
    public void A_hand_written_state_dict_reads_every_dtype_offset_and_stride()
    {
        var tensors = PyTorchCheckpoint.LoadAll(WriteStateDict());
        try
        {
            tensors.Keys.Should().BeEquivalentTo("f32", "f16", "bf16", "f64", "i64", "offset", "transposed", "param", "nested.inner");

            tensors["f32"].shape.Should().Equal(2, 3);
            tensors["f32"].data<float>().ToArray().Should().Equal(0f, 1f, 2f, 3f, 4f, 5f);
            tensors["f16"].dtype.Should().Be(ScalarType.Float16);
            Floats(tensors["f16"]).Should().Equal(0.5f, -1f, 2f, 65504f);
            tensors["bf16"].dtype.Should().Be(ScalarType.BFloat16);
            Floats(tensors["bf16"]).Should().Equal(1.5f, -2f, 0.15625f);
            tensors["f64"].dtype.Should().Be(ScalarType.Float64);
            tensors["f64"].data<double>().ToArray().Should().Equal(1e-300, -3.25);
            tensors["i64"].dtype.Should().Be(ScalarType.Int64);
            tensors["i64"].data<long>().ToArray().Should().Equal(long.MinValue, 1L << 40);

            tensors["offset"].shape.Should().Equal(2, 2);
            tensors["offset"].data<float>().ToArray().Should().Equal(2f, 3f, 4f, 5f);
            tensors["transposed"].shape.Should().Equal(3, 2);
            tensors["transposed"].is_contiguous().Should().BeTrue();
            tensors["transposed"].data<float>().ToArray().Should().Equal(0f, 3f, 1f, 4f, 2f, 5f);
            tensors["param"].data<double>().ToArray().Should().Equal(1e-300, -3.25);
            Floats(tensors["nested.inner"]).Should().Equal(-1f, 65504f);
        }
        finally
        {
            foreach (var t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }

    [Fact]
    public void Non_tensor_entries_are_listed_as_skipped_and_headers_describe_each_view()
    {
        using var checkpoint = PyTorchCheckpoint.Open(WriteStateDict());
        checkpoint.SkippedEntries.Should().Equal("epoch (int)");
        checkpoint.IsSingleTensor.Should().BeFalse();
        checkpoint.Tensors["offset"].DType.Should().Be("F32");
        checkpoint.Tensors["offset"].ByteLength.Should().Be(16);
        checkpoint.Tensors["bf16"].DType.Should().Be("BF16");
        var act = () => PyTorchCheckpoint.LoadTensor(checkpoint.Path);
        act.Should().Throw<TorchPickleException>().WithMessage("*not a single tensor*");
    }

    [Fact]
    public void A_pt_state_dict_loads_into_a_module_through_the_weight_loader()
    {
        var p = new PickleBuilder().Proto().OrderedDict().Mark()
            .Str("weight").Tensor("0", "FloatStorage", 2, 2)
            .Str("bias").Tensor("1", "HalfStorage", 2)
            .SetItems().Stop();
        var path = TorchZip.Write(
            Path.Combine(dir, "linear.bin"),
            p.ToArray(),
            new Dictionary<string, byte[]> { ["0"] = TorchZip.Bytes(1f, 2f, 3f, 4f), ["1"] = TorchZip.Bytes((Half)0.5f, (Half)(-0.5f)) });
        using var linear = nn.Linear(2, 2);
        WeightLoader.Load(linear, path).IsExact.Should().BeTrue();
        linear.weight!.detach().data<float>().ToArray().Should().Equal(1f, 2f, 3f, 4f);
        linear.bias!.detach().data<float>().ToArray().Should().Equal(0.5f, -0.5f);
    }

    [Fact]
    public void The_archive_folder_name_does_not_matter_and_byteorder_may_be_absent()
    {
        var p = new PickleBuilder().Proto().Tensor("0", "FloatStorage", 2).Stop();
        var path = TorchZip.Write(Path.Combine(dir, "x.pt"), p.ToArray(), new Dictionary<string, byte[]> { ["0"] = TorchZip.Bytes(9f, 8f) }, archive: "my_weights", byteOrder: null);
        using var t = PyTorchCheckpoint.LoadTensor(path);
        t.data<float>().ToArray().Should().Equal(9f, 8f);
    }

    [Fact]
    public void A_missing_file_gives_FileNotFoundException()
    {
        var act = () => PyTorchCheckpoint.Open(Path.Combine(dir, "absent.pt"));
        act.Should().Throw<FileNotFoundException>().WithMessage("*absent.pt*");
    }

    [Fact]
    public void Reading_views_into_a_destination_leaves_no_live_tensors_behind()
    {
        var path = WriteStateDict();
        using var checkpoint = PyTorchCheckpoint.Open(path);
        using var target = zeros(new long[] { 3, 2 }, float64);
        LeakCheck.NoLiveTensorsAfter(() =>
        {
            checkpoint.ReadInto("transposed", target);
            checkpoint.Read("f32").Dispose();
        });
        target.data<double>().ToArray().Should().Equal(0, 3, 1, 4, 2, 5);
    }
}
