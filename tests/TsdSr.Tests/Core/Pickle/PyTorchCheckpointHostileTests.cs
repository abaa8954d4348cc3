using System.Text;
using TsdSr.Core.Pickle;

namespace TsdSr.Tests.Core.Pickle;

public class PyTorchCheckpointHostileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-pt-bad-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private int files;

    private string Write(PickleBuilder p, Dictionary<string, byte[]>? storages = null, string? byteOrder = "little") =>
        TorchZip.Write(Path.Combine(dir, $"bad{files++}.pt"), p.ToArray(), storages, byteOrder: byteOrder);

    private static TorchPickleException Fails(string path)
    {
        var act = () => PyTorchCheckpoint.Open(path).Dispose();
        var e = act.Should().Throw<TorchPickleException>().Which;
        e.FilePath.Should().Be(path);
        return e;
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("posix", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("builtins", "exec")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch.storage", "_load_from_bytes")]
    [InlineData("torch._utils", "_rebuild_tensor_v2x")]
    [InlineData("torch", "load")]
    public void A_pickle_calling_a_global_outside_the_allowlist_is_refused_naming_it(string module, string name)
    {
        var marker = Path.Combine(dir, "pwned");
        var p = new PickleBuilder().Proto().Global(module, name).Mark().Str($"touch {marker}").Tuple().Reduce().Stop();
        var e = Fails(Write(p));
        e.RefusedGlobal.Should().Be($"{module}.{name}");
        e.Message.Should().Contain($"'{module}.{name}'").And.Contain("allowlist");
        File.Exists(marker).Should().BeFalse();
    }

    [Fact]
    public void A_disallowed_global_after_valid_tensors_is_still_refused()
    {
        var p = new PickleBuilder().Proto().OrderedDict().Mark()
            .Str("w").Tensor("0", "FloatStorage", 1)
            .Str("evil").Global("builtins", "eval").Mark().Str("1+1").Tuple().Reduce()
            .SetItems().Stop();
        Fails(Write(p, new() { ["0"] = TorchZip.Bytes(1f) })).RefusedGlobal.Should().Be("builtins.eval");
    }

    [Fact]
    public void A_protocol_4_stack_global_is_checked_against_the_allowlist_too()
    {
        static byte[] Short(string s) => [0x8c, (byte)s.Length, .. Encoding.ASCII.GetBytes(s)];
        var p = new PickleBuilder().Proto(4).Raw(Short("builtins")).Raw(Short("exec")).Raw(0x93)
            .Mark().Str("print(1)").Tuple().Reduce().Stop();
        Fails(Write(p)).RefusedGlobal.Should().Be("builtins.exec");
    }

    [Fact]
    public void Calling_an_allowed_storage_class_is_refused()
    {
        var p = new PickleBuilder().Proto().Global("torch", "FloatStorage").Mark().Int(10).Tuple().Reduce().Stop();
        Fails(Write(p)).Message.Should().Contain("torch.FloatStorage").And.Contain("cannot be called");
    }

    [Theory]
    [InlineData((byte)'i')] // INST: protocol 0 instantiation
    [InlineData((byte)'o')] // OBJ
    [InlineData((byte)0x90)] // EMPTY_SET
    [InlineData((byte)0x82)] // EXT1
    public void Opcodes_torch_save_never_uses_are_refused(byte opcode)
    {
        Fails(Write(new PickleBuilder().Proto().Raw(opcode).Stop())).Message.Should().Contain($"opcode 0x{opcode:x2}");
    }

    [Fact]
    public void A_pickle_without_STOP_is_reported_as_truncated()
    {
        Fails(Write(new PickleBuilder().Proto().EmptyDict())).Message.Should().Contain("without a STOP");
    }

    [Fact]
    public void A_string_longer_than_the_pickle_is_reported_without_allocating_it()
    {
        Fails(Write(new PickleBuilder().Proto().Raw((byte)'X', 0xff, 0xff, 0xff, 0x7f))).Message.Should().Contain("runs past the end");
    }

    [Fact]
    public void Reading_an_unwritten_memo_slot_is_an_error()
    {
        Fails(Write(new PickleBuilder().Proto().Get(5).Stop())).Message.Should().Contain("memo entry 5");
    }

    [Fact]
    public void A_root_that_is_neither_a_tensor_nor_a_dict_is_rejected()
    {
        Fails(Write(new PickleBuilder().Proto().EmptyList().Stop())).Message.Should().Contain("root object is a list");
    }

    [Fact]
    public void A_missing_storage_entry_is_named()
    {
        var p = new PickleBuilder().Proto().Tensor("7", "FloatStorage", 3).Stop();
        Fails(Write(p)).Message.Should().Contain("storage '7'").And.Contain("archive/data/7");
    }

    [Fact]
    public void A_storage_claiming_more_elements_than_its_entry_holds_is_rejected_before_allocating()
    {
        var p = new PickleBuilder().Proto().Tensor("0", "FloatStorage", 1L << 60, 0, [1L << 60], [1]).Stop();
        Fails(Write(p, new() { ["0"] = TorchZip.Bytes(1f) })).Message.Should().Contain("storage '0'").And.Contain("has 4");
    }

    [Fact]
    public void A_storage_size_that_overflows_is_rejected()
    {
        var p = new PickleBuilder().Proto().Tensor("0", "DoubleStorage", long.MaxValue / 2, 0, [1], [1]).Stop();
        Fails(Write(p, new() { ["0"] = TorchZip.Bytes(1.0) })).Message.Should().Contain("overflows");
    }

    [Theory]
    [InlineData(3L, new long[] { 2 }, new long[] { 1 })] // offset 3 + 1 reaches element 4 of 4
    [InlineData(0L, new long[] { 2, 2 }, new long[] { 3, 1 })] // last element 4
    [InlineData(0L, new long[] { 5 }, new long[] { 1 })]
    public void A_view_reaching_past_its_storage_is_rejected(long offset, long[] size, long[] stride)
    {
        var p = new PickleBuilder().Proto().Tensor("0", "FloatStorage", 4, offset, size, stride).Stop();
        Fails(Write(p, new() { ["0"] = TorchZip.Bytes(1f, 2f, 3f, 4f) })).Message.Should().Contain("reaches element");
    }

    [Fact]
    public void An_expanded_view_may_repeat_its_storage_but_not_explode_it()
    {
        var storages = new Dictionary<string, byte[]> { ["0"] = TorchZip.Bytes(1f, 2f) };
        var ok = new PickleBuilder().Proto().Tensor("0", "FloatStorage", 2, 0, [3, 2], [0, 1]).Stop();
        using (var t = PyTorchCheckpoint.LoadTensor(Write(ok, storages)))
        {
            t.data<float>().ToArray().Should().Equal(1f, 2f, 1f, 2f, 1f, 2f);
        }

        var bomb = new PickleBuilder().Proto().Tensor("0", "FloatStorage", 2, 0, [1L << 20, 1L << 20, 2], [0, 0, 1]).Stop();
        Fails(Write(bomb, storages)).Message.Should().Contain("would expand storage '0'");
    }

    [Fact]
    public void Negative_strides_are_rejected()
    {
        var p = new PickleBuilder().Proto().Tensor("0", "FloatStorage", 4, 3, [2], [-1]).Stop();
        Fails(Write(p, new() { ["0"] = TorchZip.Bytes(1f, 2f, 3f, 4f) })).Message.Should().Contain("invalid view");
    }

    [Fact]
    public void An_unsupported_storage_type_is_refused_by_name()
    {
        var p = new PickleBuilder().Proto().Tensor("0", "ComplexFloatStorage", 1).Stop();
        Fails(Write(p)).RefusedGlobal.Should().Be("torch.ComplexFloatStorage");
    }

    [Fact]
    public void A_storage_key_that_could_escape_the_data_folder_is_refused()
    {
        var p = new PickleBuilder().Proto().Tensor("../data.pkl", "ByteStorage", 1).Stop();
        Fails(Write(p)).Message.Should().Contain("invalid key");
    }

    [Fact]
    public void Big_endian_storages_are_refused()
    {
        var p = new PickleBuilder().Proto().Tensor("0", "FloatStorage", 1).Stop();
        Fails(Write(p, new() { ["0"] = TorchZip.Bytes(1f) }, byteOrder: "big")).Message.Should().Contain("'big'-endian");
    }

    [Fact]
    public void A_legacy_non_zip_torch_save_file_gets_a_clear_message()
    {
        var path = Path.Combine(dir, "legacy.pt");
        File.WriteAllBytes(path, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
        Fails(path).Message.Should().Contain("legacy");
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_rejected()
    {
        var path = Path.Combine(dir, "text.pt");
        File.WriteAllText(path, "hello, this is not a checkpoint");
        Fails(path).Message.Should().Contain("not a zip");
    }

    [Fact]
    public void A_zip_without_data_pkl_is_rejected()
    {
        var path = Path.Combine(dir, "other.pt");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            zip.CreateEntry("archive/readme.txt");
        }

        Fails(path).Message.Should().Contain("data.pkl");
    }

    [Fact]
    public void A_damaged_zip_is_a_TorchPickleException()
    {
        var good = Write(new PickleBuilder().Proto().Tensor("0", "FloatStorage", 1).Stop(), new() { ["0"] = TorchZip.Bytes(1f) });
        var bytes = File.ReadAllBytes(good);
        var path = Path.Combine(dir, "damaged.pt");
        File.WriteAllBytes(path, bytes[..(bytes.Length - 30)]);
        Fails(path);
    }
}
