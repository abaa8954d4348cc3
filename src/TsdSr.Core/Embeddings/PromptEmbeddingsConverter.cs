using TorchSharp;
using TsdSr.Core.SafeTensors;

namespace TsdSr.Core.Embeddings;

/// <summary>
/// Converts the reference's pickled prompt embeddings (<c>prompt_embeds.pt</c> [1, L, D], <c>pool_embeds.pt</c>
/// [1, P]) once into one safetensors file, so later runs need no pickle reader.
/// </summary>
public static class PromptEmbeddingsConverter
{
    /// <summary>
    /// Reads the <c>.pt</c> pair from <paramref name="embeddingFolder"/> and writes <paramref name="outputPath"/>
    /// (default: <c>embeddings.safetensors</c> in that folder) with keys <c>prompt_embeds</c> and
    /// <c>pooled_prompt_embeds</c>, dtype unchanged, metadata <c>{"format": "pt"}</c>.
    /// </summary>
    /// <returns>The full path written.</returns>
    /// <exception cref="FileNotFoundException">A <c>.pt</c> file is missing (the message names it and the folder).</exception>
    /// <exception cref="ArgumentException">A tensor has the wrong rank.</exception>
    public static string Convert(string embeddingFolder, string? outputPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(embeddingFolder);
        var folder = Path.GetFullPath(embeddingFolder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Prompt embedding folder not found: '{folder}'.");
        }

        var output = Path.GetFullPath(outputPath ?? Path.Combine(folder, PromptEmbeddingsLoader.SafetensorsFileName));
        using var embeddings = PromptEmbeddingsLoader.LoadTorchPair(folder);
        SafetensorsWriter.Save(
            output,
            new Dictionary<string, torch.Tensor>
            {
                [PromptEmbeddings.PromptEmbedsKey] = embeddings.PromptEmbeds,
                [PromptEmbeddings.PooledPromptEmbedsKey] = embeddings.PooledPromptEmbeds,
            },
            new Dictionary<string, string> { ["format"] = "pt" });
        return output;
    }
}
