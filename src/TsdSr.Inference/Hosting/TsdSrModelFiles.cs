using TsdSr.Core.Embeddings;
using TsdSr.Core.Layout;

namespace TsdSr.Inference.Hosting;

/// <summary>
/// Checks, without loading anything, that the weight files a pipeline needs are where they are expected, so that a
/// command line or host can list everything missing at once instead of failing on the first file.
/// </summary>
public static class TsdSrModelFiles
{
    /// <summary>LoRA file of the transformer, in the LoRA folder.</summary>
    public const string TransformerLoraFileName = "transformer.safetensors";

    /// <summary>LoRA file of the VAE encoder, in the LoRA folder.</summary>
    public const string VaeLoraFileName = "vae.safetensors";

    /// <summary>Where users get the weights, for error messages.</summary>
    public const string DownloadHelp =
        "SD3-medium: download stabilityai/stable-diffusion-3-medium-diffusers from Hugging Face after accepting its licence "
        + "(only transformer/ and vae/ are needed). TSD-SR LoRA (transformer.safetensors, vae.safetensors) and the default "
        + "prompt embeddings (prompt_embeds.pt, pool_embeds.pt): from the links in the TSD-SR project's README "
        + "(Microtreei/TSD-SR: checkpoint/tsdsr/ and dataset/default/).";

    /// <summary>One message per missing item, naming the file and where it is expected; empty when all are present.</summary>
    public static IReadOnlyList<string> FindMissing(TsdSrModelPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var missing = new List<string>();
        CheckModel(missing, paths.ModelDirectory);
        CheckLora(missing, paths.LoraDirectory);
        CheckEmbeddings(missing, paths.EmbeddingsDirectory);
        return missing;
    }

    private static void CheckModel(List<string> missing, string dir)
    {
        if (string.IsNullOrWhiteSpace(dir))
        {
            missing.Add("SD3-medium model folder: not given.");
            return;
        }

        var full = Path.GetFullPath(dir);
        if (!Directory.Exists(full) && !File.Exists(full))
        {
            missing.Add($"SD3-medium model folder not found: '{full}' (expected transformer/ and vae/ with config.json and diffusion_pytorch_model.safetensors in it).");
            return;
        }

        foreach (var component in new[] { "transformer", "vae" })
        {
            try
            {
                DiffusersLayout.Resolve(dir, component);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                missing.Add($"SD3-medium {component}: {e.Message}");
            }
        }
    }

    private static void CheckLora(List<string> missing, string dir)
    {
        if (string.IsNullOrWhiteSpace(dir))
        {
            missing.Add("TSD-SR LoRA folder: not given.");
            return;
        }

        var full = Path.GetFullPath(dir);
        if (!Directory.Exists(full))
        {
            missing.Add($"TSD-SR LoRA folder not found: '{full}' (expected {TransformerLoraFileName} and {VaeLoraFileName} in it).");
            return;
        }

        foreach (var file in new[] { TransformerLoraFileName, VaeLoraFileName })
        {
            var path = Path.Combine(full, file);
            if (!File.Exists(path))
            {
                missing.Add($"TSD-SR LoRA {file}: expected at '{path}'.");
            }
        }
    }

    private static void CheckEmbeddings(List<string> missing, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            missing.Add("Prompt embeddings folder: not given.");
            return;
        }

        missing.AddRange(PromptEmbeddingsLoader.FindMissing(path).Select(m => "Prompt embeddings " + m));
    }
}
