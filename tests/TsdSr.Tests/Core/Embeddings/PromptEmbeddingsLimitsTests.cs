using TsdSr.Core.Embeddings;
using TsdSr.Core.SafeTensors;
using TsdSr.Tests.Core.Pickle;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Core.Embeddings;

/// <summary>Embedding files are checked against the model and bounded from their headers, before any tensor is read.</summary>
public sealed class PromptEmbeddingsLimitsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-emb-limits-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Fixture(string file) => FixturePaths.Get("tsdsr_pipeline_tiny", "embeddings", file);

    private string Safetensors(long[] prompt, long[] pooled, float value = 0.5f)
    {
        var path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".safetensors");
        using var p = full(prompt, value);
        using var q = full(pooled, value);
        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["prompt_embeds"] = p, ["pooled_prompt_embeds"] = q });
        return path;
    }

    [Fact]
    public void A_small_pt_file_that_claims_millions_of_tokens_is_refused_before_it_is_inflated()
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir, "bomb")).FullName;
        // A zero-filled storage of 6.25 M × 32 floats: deflate shrinks it to a few hundred KB.
        const long tokens = 6_250_000;
        var pickle = new PickleBuilder().Proto().Tensor("0", "FloatStorage", 1, tokens, 32).Stop();
        var bomb = TorchZip.WriteDeflatedZeros(Path.Combine(folder, "prompt_embeds.pt"), pickle.ToArray(), "0", tokens * 32 * 4);
        File.Copy(Fixture("pool_embeds.pt"), Path.Combine(folder, "pool_embeds.pt"));
        new FileInfo(bomb).Length.Should().BeLessThan(1 << 20, "the attack is a small file");

        var act = () => PromptEmbeddingsLoader.Load(folder);

        act.Should().Throw<InvalidDataException>().WithMessage("*prompt_embeds.pt*[1, 6250000, 32]*tokens ≤ 4096*");
    }

    [Fact]
    public void Widths_that_do_not_fit_the_transformer_are_named_with_the_file()
    {
        var path = Safetensors([1, 7, 16], [1, 24]);

        var act = () => PromptEmbeddingsLoader.Load(path, new PromptEmbeddingsLimits { HiddenSize = 32, PooledSize = 24 });

        act.Should().Throw<InvalidDataException>().WithMessage($"Prompt embeddings '{path}': prompt_embeds has shape [1, 7, 16]; expected prompt_embeds [batch, tokens ≤ 4096, 32] and pooled_prompt_embeds [batch, 24] (the transformer's joint_attention_dim and pooled_projection_dim).");
        PromptEmbeddingsLoader.Load(Safetensors([1, 7, 32], [1, 24]), new PromptEmbeddingsLimits { HiddenSize = 32, PooledSize = 24 }).Dispose();
    }

    [Fact]
    public void The_total_size_is_bounded()
    {
        var path = Safetensors([2, 100, 32], [2, 24]);

        var act = () => PromptEmbeddingsLoader.Load(path, new PromptEmbeddingsLimits { MaxBytes = 1000 });

        act.Should().Throw<InvalidDataException>().WithMessage("*take 25792 bytes once read, over the limit of 1000*");
    }

    [Fact]
    public void Nan_embeddings_are_refused()
    {
        var path = Safetensors([1, 7, 32], [1, 24], float.NaN);

        var act = () => PromptEmbeddingsLoader.Load(path);

        act.Should().Throw<InvalidDataException>().WithMessage("*prompt_embeds holds NaN or infinite values*");
    }
}
