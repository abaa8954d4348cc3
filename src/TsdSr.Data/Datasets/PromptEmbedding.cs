using TorchSharp;
using TsdSr.Core.SafeTensors;

namespace TsdSr.Data.Datasets;

/// <summary>Precomputed SD3 prompt embeddings of one image ([333, 4096] and pooled [2048] for SD3).</summary>
public sealed class PromptEmbedding : IDisposable
{
    /// <summary>Tensor names accepted for the sequence embeddings.</summary>
    public static IReadOnlyList<string> PromptKeys { get; } = ["prompt_embeds"];

    /// <summary>Tensor names accepted for the pooled embeddings.</summary>
    public static IReadOnlyList<string> PooledKeys { get; } = ["pool_embeds", "pooled_prompt_embeds"];

    /// <summary>Creates the embedding; takes ownership of the tensors.</summary>
    public PromptEmbedding(torch.Tensor promptEmbeds, torch.Tensor? pooledEmbeds)
    {
        PromptEmbeds = promptEmbeds ?? throw new ArgumentNullException(nameof(promptEmbeds));
        PooledEmbeds = pooledEmbeds;
    }

    /// <summary>The sequence embeddings.</summary>
    public torch.Tensor PromptEmbeds { get; }

    /// <summary>The pooled embeddings, when stored.</summary>
    public torch.Tensor? PooledEmbeds { get; }

    /// <summary>Reads a safetensors file holding <c>prompt_embeds</c> and optionally <c>pool_embeds</c>.</summary>
    /// <exception cref="InvalidDataException">The file has no <c>prompt_embeds</c> tensor.</exception>
    public static PromptEmbedding Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var promptKey = PromptKeys.FirstOrDefault(file.Tensors.ContainsKey)
            ?? throw new InvalidDataException($"'{path}' has no tensor named {string.Join(" or ", PromptKeys)} (found: {string.Join(", ", file.Tensors.Keys)}).");
        var pooledKey = PooledKeys.FirstOrDefault(file.Tensors.ContainsKey);
        var prompt = file.Read(promptKey);
        return new PromptEmbedding(prompt, pooledKey is null ? null : file.Read(pooledKey));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        PromptEmbeds.Dispose();
        PooledEmbeds?.Dispose();
    }
}
