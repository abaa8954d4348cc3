using System.Text;
using TsdSr.Core.SafeTensors;

namespace TsdSr.Tests.Core.SafeTensors;

public class SafetensorsHostileFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-st-bad-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private SafetensorsFormatException OpenFails(string path)
    {
        var act = () => SafetensorsFile.Open(path).Dispose();
        var e = act.Should().Throw<SafetensorsFormatException>().Which;
        e.FilePath.Should().Be(path);
        e.Message.Should().Contain(path);
        return e;
    }

    private SafetensorsFormatException HeaderFails(string json, int dataBytes = 16) =>
        OpenFails(RawSafetensors.Write(dir, "bad.safetensors", json, dataBytes));

    [Fact]
    public void A_missing_file_gives_FileNotFoundException_with_the_path()
    {
        var path = Path.Combine(dir, "nope.safetensors");
        var act = () => SafetensorsFile.Open(path);
        act.Should().Throw<FileNotFoundException>().Which.FileName.Should().Be(path);
    }

    [Fact]
    public void A_file_shorter_than_the_length_prefix_is_rejected()
    {
        var path = Path.Combine(dir, "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        OpenFails(path).Message.Should().Contain("3 bytes");
    }

    [Fact]
    public void A_header_cut_short_is_rejected()
    {
        var full = Encoding.UTF8.GetBytes("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
        var path = RawSafetensors.Write(dir, "cut.safetensors", full[..20], headerLength: (ulong)full.Length);
        OpenFails(path).Message.Should().Contain($"claims {full.Length} bytes but only 20 follow");
    }

    [Theory]
    [InlineData(1000UL)]
    [InlineData(9_223_372_036_854_775_808UL)] // 2^63
    [InlineData(ulong.MaxValue)]
    public void A_header_length_beyond_the_file_or_the_format_limit_is_rejected_without_allocating(ulong claimed)
    {
        var path = RawSafetensors.Write(dir, "long.safetensors", "{}", headerLength: claimed);
        OpenFails(path).Message.Should().Contain($"claims {claimed} bytes");
    }

    [Fact]
    public void Tensor_data_cut_short_is_rejected_at_open()
    {
        var e = HeaderFails("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", dataBytes: 8);
        e.Message.Should().Contain("'x'").And.Contain("ends at byte 16").And.Contain("only 8 bytes");
    }

    [Fact]
    public void A_huge_claimed_tensor_in_a_tiny_file_is_rejected_before_any_allocation()
    {
        HeaderFails("{\"x\":{\"dtype\":\"F32\",\"shape\":[1000000000],\"data_offsets\":[0,4000000000]}}")
            .Message.Should().Contain("ends at byte 4000000000");
    }

    [Fact]
    public void Overlapping_offsets_are_rejected_naming_both_tensors()
    {
        HeaderFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}")
            .Message.Should().Contain("'a'").And.Contain("'b'").And.Contain("overlap");
    }

    [Theory]
    [InlineData("[-4,0]")]
    [InlineData("[0,\"8\"]")]
    [InlineData("[0]")]
    [InlineData("[0,1.5]")]
    [InlineData("{\"begin\":0}")]
    public void Malformed_offsets_are_rejected(string offsets)
    {
        HeaderFails($"{{\"x\":{{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":{offsets}}}}}").Message.Should().Contain("'x'");
    }

    [Fact]
    public void An_end_before_the_begin_is_rejected()
    {
        HeaderFails("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}").Message.Should().Contain("end is before the begin");
    }

    [Fact]
    public void An_unknown_dtype_is_rejected_naming_it()
    {
        HeaderFails("{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}")
            .Message.Should().Contain("'F8_E4M3'").And.Contain("'x'");
    }

    [Fact]
    public void A_shape_that_disagrees_with_the_byte_count_is_rejected()
    {
        HeaderFails("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}")
            .Message.Should().Contain("needs 12 bytes but its data_offsets span 16");
    }

    [Fact]
    public void A_shape_whose_size_overflows_is_rejected()
    {
        HeaderFails("{\"x\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,0]}}")
            .Message.Should().Contain("overflows");
    }

    [Theory]
    [InlineData("[-1]")]
    [InlineData("[1.5]")]
    [InlineData("[\"2\"]")]
    [InlineData("[99999999999999999999]")]
    [InlineData("4")]
    public void An_invalid_shape_is_rejected(string shape)
    {
        HeaderFails($"{{\"x\":{{\"dtype\":\"U8\",\"shape\":{shape},\"data_offsets\":[0,0]}}}}").Message.Should().Contain("'x'");
    }

    [Fact]
    public void A_header_that_is_not_UTF8_is_rejected()
    {
        var header = Encoding.UTF8.GetBytes("{\"x\":{}}").Concat(new byte[] { 0xFF, 0xFE, 0x80 }).ToArray();
        OpenFails(RawSafetensors.Write(dir, "latin.safetensors", header)).Message.Should().Contain("UTF-8");
    }

    [Fact]
    public void Deeply_nested_JSON_is_rejected_without_recursing()
    {
        var json = "{\"x\":" + new string('[', 100_000) + new string(']', 100_000) + "}";
        HeaderFails(json).Message.Should().Contain("not valid JSON");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void A_header_that_is_not_an_object_is_rejected(string json)
    {
        HeaderFails(json).Message.Should().Contain("not an object");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"x\":1,}")]
    [InlineData("{/*c*/}")]
    public void A_header_that_is_not_JSON_is_rejected(string json)
    {
        HeaderFails(json).Message.Should().Contain("not valid JSON");
    }

    [Fact]
    public void A_tensor_named_twice_is_rejected()
    {
        const string e = "{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}";
        HeaderFails($"{{\"x\":{e},\"x\":{e}}}").Message.Should().Contain("'x' appears twice");
    }

    [Fact]
    public void A_field_given_twice_in_an_entry_is_rejected()
    {
        HeaderFails("{\"x\":{\"dtype\":\"U8\",\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}").Message.Should().Contain("'dtype' twice");
    }

    [Fact]
    public void Metadata_given_twice_or_with_a_repeated_key_is_rejected()
    {
        HeaderFails("{\"__metadata__\":{\"a\":\"1\"},\"__metadata__\":{\"b\":\"2\"}}").Message.Should().Contain("__metadata__ appears twice");
        HeaderFails("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}").Message.Should().Contain("'a' appears twice");
    }

    [Theory]
    [InlineData("{\"__metadata__\":{\"total\":42}}", "'total'")]
    [InlineData("{\"__metadata__\":{\"nested\":{\"a\":\"b\"}}}", "'nested'")]
    [InlineData("{\"__metadata__\":[\"a\"]}", "not an object")]
    public void Non_string_metadata_is_rejected(string json, string expected)
    {
        HeaderFails(json).Message.Should().Contain(expected);
    }

    [Theory]
    [InlineData("{\"x\":[1,2]}", "not an object")]
    [InlineData("{\"x\":{\"shape\":[0],\"data_offsets\":[0,0]}}", "no dtype")]
    [InlineData("{\"x\":{\"dtype\":\"U8\",\"data_offsets\":[0,0]}}", "no shape")]
    [InlineData("{\"x\":{\"dtype\":\"U8\",\"shape\":[0]}}", "no [begin, end] data_offsets")]
    public void Incomplete_entries_are_rejected(string json, string expected)
    {
        HeaderFails(json).Message.Should().Contain(expected);
    }

    [Fact]
    public void An_unpaired_surrogate_escape_in_a_name_is_a_format_error_not_a_crash()
    {
        // "\ud800" is valid JSON syntax but no UTF-16 string: the name cannot be decoded, so the file must not open
        // (serde_json, the safetensors crate's parser, rejects it too).
        HeaderFails("{\"\\ud800\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}", dataBytes: 0)
            .Message.Should().Contain("undecodable JSON value");
    }

    [Fact]
    public void A_minimal_hand_written_file_with_padding_unknown_fields_and_an_empty_tensor_reads_correctly()
    {
        var path = RawSafetensors.Write(
            dir,
            "ok.safetensors",
            "{\"b\":{\"dtype\":\"U8\",\"shape\":[2,2],\"data_offsets\":[0,4],\"extra\":true},\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[4,4]}}    ",
            dataBytes: 4);
        using var file = SafetensorsFile.Open(path);
        file.Metadata.Should().BeEmpty();
        using var b = file.Read("b");
        b.dtype.Should().Be(ScalarType.Byte);
        b.data<byte>().ToArray().Should().Equal(0, 1, 2, 3);
        using var e = file.Read("e");
        e.shape.Should().Equal(0, 3);
    }

    [Fact]
    public void A_file_truncated_after_opening_gives_a_format_error_on_read()
    {
        var path = Path.Combine(dir, "shrinks.safetensors");
        using (var t = ones(64))
        {
            SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["x"] = t });
        }

        using var file = SafetensorsFile.Open(path);
        using (var writer = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            writer.SetLength(writer.Length - 100);
        }

        var act = () => file.Read("x");
        act.Should().Throw<SafetensorsFormatException>().WithMessage("*'x' ends early*");
        using var converted = zeros(64, dtype: ScalarType.BFloat16);
        var convert = () => file.ReadInto("x", converted);
        convert.Should().Throw<SafetensorsFormatException>("a read that converts the dtype stages the data chunk by chunk")
            .WithMessage("*'x' ends early*");
    }
}
