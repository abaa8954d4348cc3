using TsdSr.Core.Embeddings;
using TsdSr.Core.Pickle;
using TsdSr.Core.SafeTensors;
using TsdSr.Tests.Core.Pickle;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Core.Embeddings;

public class PromptEmbeddingsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-emb-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Fixture(string file) => FixturePaths.Get("tsdsr_pipeline_tiny", "embeddings", file);

    private static byte[] RawBytes(Tensor t) => t.contiguous().bytes.ToArray();

    /// <summary>A folder with only the reference's two .pt files.</summary>
    private string PtOnlyFolder()
    {
        var folder = Path.Combine(dir, "pt");
        Directory.CreateDirectory(folder);
        File.Copy(Fixture("prompt_embeds.pt"), Path.Combine(folder, "prompt_embeds.pt"));
        File.Copy(Fixture("pool_embeds.pt"), Path.Combine(folder, "pool_embeds.pt"));
        return folder;
    }

    [Fact]
    public void Converting_the_reference_pt_files_reproduces_the_fixture_safetensors_byte_for_byte()
    {
        var folder = PtOnlyFolder();
        var written = PromptEmbeddingsConverter.Convert(folder);
        written.Should().Be(Path.Combine(folder, "embeddings.safetensors"));
        File.ReadAllBytes(written).Should().Equal(File.ReadAllBytes(Fixture("embeddings.safetensors")));
    }

    [Fact]
    public void Converting_to_an_explicit_output_path_writes_there()
    {
        var output = Path.Combine(dir, "out", "e.safetensors");
        PromptEmbeddingsConverter.Convert(PtOnlyFolder(), output).Should().Be(output);
        using var file = SafetensorsFile.Open(output);
        file.Tensors.Keys.Should().BeEquivalentTo("prompt_embeds", "pooled_prompt_embeds");
        file.Metadata.Should().Contain("format", "pt");
    }

    [Fact]
    public void Both_forms_load_to_the_same_tensors()
    {
        using var fromPt = PromptEmbeddingsLoader.Load(PtOnlyFolder());
        using var fromSafetensors = PromptEmbeddingsLoader.Load(Fixture("embeddings.safetensors"));
        fromPt.PromptEmbeds.shape.Should().Equal(1, 7, 32);
        fromPt.PooledPromptEmbeds.shape.Should().Equal(1, 24);
        RawBytes(fromPt.PromptEmbeds).Should().Equal(RawBytes(fromSafetensors.PromptEmbeds));
        RawBytes(fromPt.PooledPromptEmbeds).Should().Equal(RawBytes(fromSafetensors.PooledPromptEmbeds));
    }

    [Fact]
    public void A_folder_with_both_forms_prefers_the_safetensors_file()
    {
        using var e = PromptEmbeddingsLoader.Load(FixturePaths.Get("tsdsr_pipeline_tiny", "embeddings"));
        e.Source.Should().EndWith("embeddings.safetensors");
    }

    [Fact]
    public void A_folder_missing_a_pt_file_names_the_file_and_the_folder()
    {
        var folder = PtOnlyFolder();
        File.Delete(Path.Combine(folder, "pool_embeds.pt"));
        var act = () => PromptEmbeddingsLoader.Load(folder);
        var e = act.Should().Throw<FileNotFoundException>().Which;
        e.Message.Should().Contain("pool_embeds.pt").And.Contain(folder).And.Contain("embeddings.safetensors").And.NotContain("lacks prompt_embeds.pt");
        e.FileName.Should().Be(Path.Combine(folder, "pool_embeds.pt"));
    }

    [Fact]
    public void Converting_an_empty_folder_names_both_missing_files()
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir, "empty")).FullName;
        var act = () => PromptEmbeddingsConverter.Convert(folder);
        act.Should().Throw<FileNotFoundException>().WithMessage($"*{folder}*prompt_embeds.pt and pool_embeds.pt*");
    }

    [Fact]
    public void A_missing_folder_gives_DirectoryNotFoundException()
    {
        var act = () => PromptEmbeddingsLoader.Load(Path.Combine(dir, "nowhere"));
        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*nowhere*");
    }

    [Fact]
    public void Tensors_of_the_wrong_rank_are_rejected_with_their_shapes()
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir, "rank")).FullName;
        var twoD = new PickleBuilder().Proto().Tensor("0", "FloatStorage", 7, 32).Stop();
        TorchZip.Write(Path.Combine(folder, "prompt_embeds.pt"), twoD.ToArray(), new Dictionary<string, byte[]> { ["0"] = new byte[7 * 32 * 4] });
        File.Copy(Fixture("pool_embeds.pt"), Path.Combine(folder, "pool_embeds.pt"));
        var act = () => PromptEmbeddingsConverter.Convert(folder);
        // Refused from the header, before any tensor data is read.
        act.Should().Throw<InvalidDataException>().WithMessage("*prompt_embeds.pt*prompt_embeds has shape [7, 32]; expected prompt_embeds [batch, tokens ≤ 4096, dim]*");
        File.Exists(Path.Combine(folder, "embeddings.safetensors")).Should().BeFalse();
    }

    [Fact]
    public void A_safetensors_file_without_the_expected_keys_lists_what_it_has()
    {
        var path = Path.Combine(dir, "wrong.safetensors");
        using (var t = zeros(1, 2))
        {
            SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["prompt_embeds"] = t });
        }

        var act = () => PromptEmbeddingsLoader.Load(path);
        act.Should().Throw<KeyNotFoundException>().WithMessage("*pooled_prompt_embeds*it has: prompt_embeds*");
    }

    [Fact]
    public void A_dict_checkpoint_where_a_single_tensor_is_expected_is_rejected()
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir, "dict")).FullName;
        var dict = new PickleBuilder().Proto().EmptyDict().Mark().Str("x").Tensor("0", "FloatStorage", 1).Raw((byte)'u').Stop();
        TorchZip.Write(Path.Combine(folder, "prompt_embeds.pt"), dict.ToArray(), new Dictionary<string, byte[]> { ["0"] = new byte[4] });
        File.Copy(Fixture("pool_embeds.pt"), Path.Combine(folder, "pool_embeds.pt"));
        var act = () => PromptEmbeddingsLoader.Load(folder);
        act.Should().Throw<TorchPickleException>().WithMessage("*prompt_embeds.pt*not a single tensor*");
    }

    [Fact]
    public void A_sample_file_without_a_batch_dimension_loads_with_a_batch_of_one()
    {
        var file = Path.Combine(dir, "sample.safetensors");
        using (var prompt = ones(5, 8))
        using (var pooled = full(4, 2f))
        {
            SafetensorsWriter.Save(file, [new("prompt_embeds", prompt), new("pool_embeds", pooled)]);
        }

        using var loaded = PromptEmbeddingsLoader.LoadSample(file);
        loaded.PromptEmbeds.shape.Should().Equal(1, 5, 8);
        loaded.PooledPromptEmbeds.shape.Should().Equal(1, 4);
        loaded.PooledPromptEmbeds.sum().item<float>().Should().Be(8f);
    }

    [Fact]
    public void A_sample_file_without_pooled_embeddings_is_refused_naming_the_accepted_keys()
    {
        var file = Path.Combine(dir, "no-pooled.safetensors");
        using (var prompt = ones(5, 8))
        {
            SafetensorsWriter.Save(file, [new("prompt_embeds", prompt)]);
        }

        FluentActions.Invoking(() => PromptEmbeddingsLoader.LoadSample(file))
            .Should().Throw<InvalidDataException>().WithMessage("*pool_embeds or pooled_prompt_embeds*found: prompt_embeds*");
    }

    [Fact]
    public void For_batch_repeats_a_single_prompt_and_refuses_another_batch()
    {
        using var scope = NewDisposeScope();
        using var single = new PromptEmbeddings(ones(1, 3, 4), ones(1, 2));
        var (prompt, pooled) = single.ForBatch(3);
        prompt.shape.Should().Equal(3, 3, 4);
        pooled.shape.Should().Equal(3, 2);

        using var two = new PromptEmbeddings(ones(2, 3, 4), ones(2, 2));
        two.ForBatch(2).PromptEmbeds.shape.Should().Equal(2, 3, 4);
        FluentActions.Invoking(() => two.ForBatch(3)).Should().Throw<ArgumentException>().WithMessage("*batch 2; expected 1 or 3*");
    }
}
