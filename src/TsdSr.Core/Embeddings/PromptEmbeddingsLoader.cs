using TorchSharp;
using TsdSr.Core.Pickle;
using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;

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

    /// <summary>The names a per-sample file may give its pooled embeddings (the reference's folder name first).</summary>
    private static readonly string[] SamplePooledKeys = ["pool_embeds", PromptEmbeddings.PooledPromptEmbedsKey];

    /// <summary>
    /// Loads from a <c>.safetensors</c> file, or from a folder holding <c>embeddings.safetensors</c> (preferred) or the
    /// two <c>.pt</c> files. Shapes, dtypes and sizes are checked against <paramref name="limits"/> from the headers,
    /// before any tensor is read; values are checked to be finite once read.
    /// </summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="limits">Expected sizes (the transformer's) and bounds; null applies <see cref="PromptEmbeddingsLimits.Default"/>.</param>
    /// <exception cref="DirectoryNotFoundException">The path does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder holds neither form (the message names the files and the folder).</exception>
    /// <exception cref="InvalidDataException">A shape, dtype or size does not fit (the file and tensor are named), or a value is NaN or infinite.</exception>
    public static PromptEmbeddings Load(string path, PromptEmbeddingsLimits? limits = null)
    {
        limits ??= PromptEmbeddingsLimits.Default;
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return LoadSafetensors(full, limits);
        }

        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"Prompt embedding folder not found: '{full}'.");
        }

        var single = Path.Combine(full, SafetensorsFileName);
        if (File.Exists(single))
        {
            return LoadSafetensors(single, limits);
        }

        return LoadTorchPair(full, limits);
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

    /// <summary>Loads the reference's <c>prompt_embeds.pt</c> and <c>pool_embeds.pt</c> from a folder (checked as <see cref="Load"/> does).</summary>
    /// <exception cref="FileNotFoundException">A file is missing (the message names it and the folder).</exception>
    /// <exception cref="InvalidDataException">A shape, dtype or size does not fit, or a value is not finite.</exception>
    public static PromptEmbeddings LoadTorchPair(string folder, PromptEmbeddingsLimits? limits = null)
    {
        limits ??= PromptEmbeddingsLimits.Default;
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

        using var promptFile = PyTorchCheckpoint.Open(promptPath);
        using var poolFile = PyTorchCheckpoint.Open(poolPath);
        foreach (var file in new[] { promptFile, poolFile })
        {
            if (!file.IsSingleTensor)
            {
                throw new TorchPickleException(file.Path, $"it holds a dict of {file.Tensors.Count} tensor(s), not a single tensor.");
            }
        }

        var promptInfo = promptFile.Tensors[PyTorchCheckpoint.RootTensorName];
        var poolInfo = poolFile.Tensors[PyTorchCheckpoint.RootTensorName];
        Check(promptInfo, promptPath, poolInfo, poolPath, limits);
        return Read(() => promptFile.Read(PyTorchCheckpoint.RootTensorName), () => poolFile.Read(PyTorchCheckpoint.RootTensorName), full);
    }

    /// <summary>
    /// One sample's embeddings (a per-image file of a dataset): a safetensors file holding <c>prompt_embeds</c> [L, D]
    /// and <c>pool_embeds</c> or <c>pooled_prompt_embeds</c> [P], each with or without a leading batch of 1. Returned
    /// with a batch of 1, like every <see cref="PromptEmbeddings"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">A tensor is missing, or its shape is not one sample's.</exception>
    public static PromptEmbeddings LoadSample(string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        using var source = SafetensorsFile.Open(file);
        var pooledKey = SamplePooledKeys.FirstOrDefault(source.Tensors.ContainsKey);
        if (!source.Tensors.ContainsKey(PromptEmbeddings.PromptEmbedsKey) || pooledKey is null)
        {
            throw new InvalidDataException(
                $"'{file}' needs a tensor {PromptEmbeddings.PromptEmbedsKey} and one of {string.Join(" or ", SamplePooledKeys)} (found: {string.Join(", ", source.Tensors.Keys.Order(StringComparer.Ordinal))}).");
        }

        return Read(() => AsBatchOfOne(source.Read(PromptEmbeddings.PromptEmbedsKey), 2, file), () => AsBatchOfOne(source.Read(pooledKey), 1, file), file);
    }

    private static torch.Tensor AsBatchOfOne(torch.Tensor t, int sampleRank, string file)
    {
        if (t.dim() == sampleRank + 1 && t.shape[0] == 1)
        {
            return t;
        }

        if (t.dim() != sampleRank)
        {
            var shape = string.Join(", ", t.shape);
            t.Dispose();
            throw new InvalidDataException($"'{file}' holds a tensor of shape [{shape}]; one sample's embeddings have rank {sampleRank} (or {sampleRank + 1} with a batch of 1).");
        }

        using (t)
        {
            return t.unsqueeze(0);
        }
    }

    private static PromptEmbeddings LoadSafetensors(string file, PromptEmbeddingsLimits limits)
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

        Check(source.Tensors[PromptEmbeddings.PromptEmbedsKey], file, source.Tensors[PromptEmbeddings.PooledPromptEmbedsKey], file, limits);
        return Read(() => source.Read(PromptEmbeddings.PromptEmbedsKey), () => source.Read(PromptEmbeddings.PooledPromptEmbedsKey), file);
    }

    /// <summary>Checks both tensors from their headers: rank, dtype, batch, token count, widths against the model, total bytes.</summary>
    private static void Check(SafetensorsTensorInfo prompt, string promptFile, SafetensorsTensorInfo pooled, string pooledFile, PromptEmbeddingsLimits limits)
    {
        string Expected() =>
            $"expected prompt_embeds [batch, tokens ≤ {limits.MaxTokens}, {limits.HiddenSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "dim"}]"
            + $" and pooled_prompt_embeds [batch, {limits.PooledSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "dim"}]"
            + (limits.HiddenSize is null ? "." : " (the transformer's joint_attention_dim and pooled_projection_dim).");

        if (prompt.Shape.Length != 3 || prompt.Shape[1] > limits.MaxTokens || (limits.HiddenSize is { } hidden && prompt.Shape[2] != hidden))
        {
            throw new InvalidDataException($"Prompt embeddings '{promptFile}': prompt_embeds has shape {prompt.ShapeText}; {Expected()}");
        }

        if (pooled.Shape.Length != 2 || (limits.PooledSize is { } size && pooled.Shape[1] != size))
        {
            throw new InvalidDataException($"Prompt embeddings '{pooledFile}': pooled_prompt_embeds has shape {pooled.ShapeText}; {Expected()}");
        }

        if (prompt.Shape[0] != pooled.Shape[0] || prompt.Shape[0] < 1)
        {
            throw new InvalidDataException($"Prompt embeddings '{promptFile}': the batch sizes disagree or are empty ({prompt.ShapeText} and {pooled.ShapeText}).");
        }

        foreach (var (info, file) in new[] { (prompt, promptFile), (pooled, pooledFile) })
        {
            if (SafetensorsDType.KindOf(info.DType) != "floating point")
            {
                throw new InvalidDataException($"Prompt embeddings '{file}': '{info.Name}' is {info.DType}; embeddings must be floating point.");
            }
        }

        long bytes;
        try
        {
            bytes = checked((prompt.ElementCount * SafetensorsDType.ElementSize(prompt.DType)) + (pooled.ElementCount * SafetensorsDType.ElementSize(pooled.DType)));
        }
        catch (OverflowException)
        {
            bytes = long.MaxValue;
        }

        if (bytes > limits.MaxBytes)
        {
            throw new InvalidDataException($"Prompt embeddings '{promptFile}': the tensors {prompt.ShapeText} and {pooled.ShapeText} take {bytes} bytes once read, over the limit of {limits.MaxBytes} (PromptEmbeddingsLimits.MaxBytes).");
        }
    }

    private static PromptEmbeddings Read(Func<torch.Tensor> readPrompt, Func<torch.Tensor> readPooled, string source)
    {
        var prompt = readPrompt();
        torch.Tensor? pooled = null;
        try
        {
            pooled = readPooled();
            foreach (var (t, name) in new[] { (prompt, PromptEmbeddings.PromptEmbedsKey), (pooled, PromptEmbeddings.PooledPromptEmbedsKey) })
            {
                if (!WeightLoader.IsFinite(t))
                {
                    throw new InvalidDataException($"Prompt embeddings '{source}': {name} holds NaN or infinite values.");
                }
            }

            return new PromptEmbeddings(prompt, pooled, source);
        }
        catch
        {
            prompt.Dispose();
            pooled?.Dispose();
            throw;
        }
    }
}
