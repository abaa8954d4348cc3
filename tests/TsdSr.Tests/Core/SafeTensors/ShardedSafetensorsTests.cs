using TsdSr.Core.SafeTensors;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Core.SafeTensors;

public class ShardedSafetensorsTests : IDisposable
{
    private const string Folder = "lpips_alex_random_backbone";
    private const string IndexName = "alexnet_features.safetensors.index.json";
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-shard-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Index => FixturePaths.Get(Folder, IndexName);

    /// <summary>A writable copy of the fixture folder (shards and index) to break.</summary>
    private string CopyFixture()
    {
        foreach (var f in Directory.GetFiles(FixturePaths.Get(Folder), "alexnet_features*"))
        {
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        }

        return Path.Combine(dir, IndexName);
    }

    [Fact]
    public void The_fixture_index_exposes_every_key_with_its_shard_shape_and_metadata()
    {
        using var source = ShardedSafetensors.Open(Index);
        source.Tensors.Keys.Should().BeEquivalentTo(
            "features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias", "features.6.weight",
            "features.6.bias", "features.8.weight", "features.8.bias", "features.10.weight", "features.10.bias");
        source.Shards.Select(s => Path.GetFileName(s.Path)).Should().Equal(
            "alexnet_features-00001-of-00004.safetensors",
            "alexnet_features-00002-of-00004.safetensors",
            "alexnet_features-00003-of-00004.safetensors",
            "alexnet_features-00004-of-00004.safetensors");
        source.Shards[0].Tensors.Keys.Should().BeEquivalentTo("features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias");
        source.Tensors["features.0.weight"].Shape.Should().Equal(64, 3, 11, 11);
        source.Tensors["features.10.weight"].Shape.Should().Equal(256, 256, 3, 3);
        source.IndexMetadata.Should().ContainKey("total_size").WhoseValue.Should().Be("9878784");
        source.Tensors.Values.Sum(t => t.ByteLength).Should().Be(long.Parse(source.IndexMetadata["total_size"]));
        source.Description.Should().Be(Index);
    }

    [Fact]
    public void Reads_come_from_the_right_shard_and_match_the_shard_file()
    {
        using var source = ShardedSafetensors.Open(Index);
        using var shard = SafetensorsFile.Open(FixturePaths.Get(Folder, "alexnet_features-00003-of-00004.safetensors"));
        using var viaIndex = source.Read("features.8.bias");
        using var direct = shard.Read("features.8.bias");
        viaIndex.allclose(direct, 0, 0).Should().BeTrue();
        using var target = zeros(256, dtype: float64);
        source.ReadInto("features.8.bias", target);
        TensorAssert.MaxAbsDiff(target, direct).Should().Be(0);
    }

    [Fact]
    public void TensorSources_opens_an_index_as_a_sharded_source()
    {
        using var source = TensorSources.Open(Index);
        source.Should().BeOfType<ShardedSafetensors>();
        var act = () => source.Read("features.1.weight");
        act.Should().Throw<KeyNotFoundException>().WithMessage("*features.1.weight*");
    }

    [Fact]
    public void A_missing_shard_file_is_named_with_its_expected_path()
    {
        var index = CopyFixture();
        var missing = Path.Combine(dir, "alexnet_features-00002-of-00004.safetensors");
        File.Delete(missing);
        var act = () => ShardedSafetensors.Open(index);
        var e = act.Should().Throw<FileNotFoundException>().Which;
        e.FileName.Should().Be(missing);
        e.Message.Should().Contain("alexnet_features-00002-of-00004.safetensors").And.Contain(index);
    }

    [Fact]
    public void A_key_that_is_not_in_its_shard_is_rejected()
    {
        var index = CopyFixture();
        File.WriteAllText(index, File.ReadAllText(index).Replace(
            "\"features.6.bias\": \"alexnet_features-00002-of-00004.safetensors\"",
            "\"features.6.bias\": \"alexnet_features-00004-of-00004.safetensors\""));
        var act = () => ShardedSafetensors.Open(index);
        act.Should().Throw<SafetensorsFormatException>().WithMessage("*'features.6.bias'*alexnet_features-00004-of-00004.safetensors*");
    }

    [Theory]
    [InlineData("../alexnet_features-00001-of-00004.safetensors")]
    [InlineData("sub/alexnet_features-00001-of-00004.safetensors")]
    [InlineData("sub\\\\alexnet_features-00001-of-00004.safetensors")]
    [InlineData("..")]
    [InlineData("/etc/passwd")]
    [InlineData("")]
    public void A_shard_name_that_is_not_a_plain_file_name_is_refused(string shard)
    {
        var index = Path.Combine(dir, "model.safetensors.index.json");
        File.WriteAllText(index, $"{{\"metadata\":{{}},\"weight_map\":{{\"w\":\"{shard}\"}}}}");
        var act = () => ShardedSafetensors.Open(index);
        act.Should().Throw<SafetensorsFormatException>().WithMessage("*not a plain file name*");
    }

    [Theory]
    [InlineData("[]", "not an object")]
    [InlineData("{\"metadata\":{}}", "no weight_map")]
    [InlineData("{\"weight_map\":{}}", "empty")]
    [InlineData("{\"weight_map\":{\"w\":3}}", "'w'")]
    [InlineData("{\"weight_map\":{\"w\":\"a.safetensors\",\"w\":\"b.safetensors\"}}", "'w' appears twice")]
    [InlineData("{\"weight_map\":", "not valid JSON")]
    public void A_malformed_index_is_rejected_clearly(string json, string expected)
    {
        var index = Path.Combine(dir, "model.safetensors.index.json");
        File.WriteAllText(index, json);
        var act = () => ShardedSafetensors.Open(index);
        act.Should().Throw<SafetensorsFormatException>().WithMessage($"*{expected}*").Which.FilePath.Should().Be(index);
    }

    [Fact]
    public void A_missing_index_gives_FileNotFoundException()
    {
        var act = () => TensorSources.Open(Path.Combine(dir, "none.safetensors.index.json"));
        act.Should().Throw<FileNotFoundException>();
    }
}
