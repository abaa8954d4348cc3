using TorchSharp;
using TsdSr.Core.Pickle;
using TsdSr.Core.SafeTensors;

namespace TsdSr.Core.Embeddings;

/// <summary>
/// Reads TSD-SR prompt embeddings in either form: the reference's <c>torch.save</c> pair
/// (<c>prompt_embeds.pt</c>, <c>pool_embeds.pt</c>) or one safetensors file with keys <c>prompt_embeds</c> and
/// <c>pooled_prompt_embeds</c> (as written by <see cref="PromptEmbeddingsConverter"/>).
/// </summary>
public static class PromptEmbeddingsLoader
{
    /// <summary>File name of the reference's sequence embeddings.</summary>
    public const string PromptEmbedsFileName = "prompt_embeds.pt";

    /// <summary>File name of the reference's pooled embeddings.</summary>
    public const string PoolEmbedsFileName = "pool_embeds.pt";

    /// <summary>File name of the converted, single-file form.</summary>
    public const string SafetensorsFileName = "embeddings.safetensors";

    /// <summary>
    /// Loads from a <c>.safetensors</c> file, or from a folder holding <c>embeddings.safetensors</c> (preferred) or the
    /// two <c>.pt</c> files.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The path does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder holds neither form (the message names the files and the folder).</exception>
    public static PromptEmbeddings Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return LoadSafetensors(full);
        }

        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"Prompt embedding folder not found: '{full}'.");
        }

        var single = Path.Combine(full, SafetensorsFileName);
        if (File.Exists(single))
        {
            return LoadSafetensors(single);
        }

        return LoadTorchPair(full);
    }

    /// <summary>
    /// What <see cref="Load"/> would miss at <paramref name="path"/>, one line per problem with full paths (empty when
    /// it would find a usable form): the folder itself, or each <c>.pt</c> file when neither form is complete. Callers
    /// prefix the lines with their own name for the path (an option or a config key).
    /// </summary>
    public static IReadOnlyList<string> FindMissing(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full) || File.Exists(Path.Combine(full, SafetensorsFileName)))
        {
            return [];
        }

        if (!Directory.Exists(full))
        {
            return [$"folder not found: '{full}' (expected {SafetensorsFileName}, or {PromptEmbedsFileName} and {PoolEmbedsFileName}, in it)."];
        }

        return [.. new[] { PromptEmbedsFileName, PoolEmbedsFileName }
            .Select(file => Path.Combine(full, file))
            .Where(p => !File.Exists(p))
            .Select(p => $"{Path.GetFileName(p)}: expected at '{p}' (or {SafetensorsFileName} in the same folder).")];
    }

    /// <summary>Loads the reference's <c>prompt_embeds.pt</c> and <c>pool_embeds.pt</c> from a folder.</summary>
    /// <exception cref="FileNotFoundException">A file is missing (the message names it and the folder).</exception>
    public static PromptEmbeddings LoadTorchPair(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        var promptPath = Path.Combine(full, PromptEmbedsFileName);
        var poolPath = Path.Combine(full, PoolEmbedsFileName);
        var missing = new[] { promptPath, poolPath }.Where(p => !File.Exists(p)).Select(Path.GetFileName).ToList();
        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"Prompt embedding folder '{full}' lacks {string.Join(" and ", missing)}: expected either {SafetensorsFileName} or both {PromptEmbedsFileName} and {PoolEmbedsFileName}.",
                Path.Combine(full, missing[0]!));
        }

        var prompt = PyTorchCheckpoint.LoadTensor(promptPath);
        try
        {
            var pooled = PyTorchCheckpoint.LoadTensor(poolPath);
            try
            {
                return new PromptEmbeddings(prompt, pooled, full);
            }
            catch
            {
                pooled.Dispose();
                throw;
            }
        }
        catch
        {
            prompt.Dispose();
            throw;
        }
    }

    private static PromptEmbeddings LoadSafetensors(string file)
    {
        using var source = SafetensorsFile.Open(file);
        foreach (var key in new[] { PromptEmbeddings.PromptEmbedsKey, PromptEmbeddings.PooledPromptEmbedsKey })
        {
            if (!source.Tensors.ContainsKey(key))
            {
                throw new KeyNotFoundException(
                    $"Prompt embedding file '{file}' has no tensor '{key}' (it has: {string.Join(", ", source.Tensors.Keys.Order(StringComparer.Ordinal))}).");
            }
        }

        var prompt = source.Read(PromptEmbeddings.PromptEmbedsKey);
        torch.Tensor? pooled = null;
        try
        {
            pooled = source.Read(PromptEmbeddings.PooledPromptEmbedsKey);
            return new PromptEmbeddings(prompt, pooled, file);
        }
        catch
        {
            prompt.Dispose();
            pooled?.Dispose();
            throw;
        }
    }
}
