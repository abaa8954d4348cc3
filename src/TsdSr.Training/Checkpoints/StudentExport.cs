using TorchSharp;
using static TorchSharp.torch;
using TsdSr.Models.Lora;

namespace TsdSr.Training.Checkpoints;

/// <summary>
/// Writes the student in the TSD-SR file format the upscaler loads (the official TSD-SR release): <c>transformer.safetensors</c>
/// (transformer LoRA) and <c>vae.safetensors</c> (VAE-encoder LoRA), both with the <c>transformer.</c> key prefix and
/// PEFT names without the adapter segment.
/// </summary>
public static class StudentExport
{
    /// <summary>The transformer file name.</summary>
    public const string TransformerFileName = "transformer.safetensors";

    /// <summary>The VAE file name.</summary>
    public const string VaeFileName = "vae.safetensors";

    /// <summary>The key prefix of both files (the reference uses it for the VAE file too, §5 quirk 14).</summary>
    public const string KeyPrefix = "transformer";

    /// <summary>Writes both files into <paramref name="folder"/> (each written to a temporary name and renamed).</summary>
    public static void Save(string folder, nn.Module transformer, string transformerAdapter, nn.Module vae, string vaeAdapter)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(vae);
        Directory.CreateDirectory(folder);
        LoraFile.Save(transformer, transformerAdapter, Path.Combine(folder, TransformerFileName), KeyPrefix);
        LoraFile.Save(vae, vaeAdapter, Path.Combine(folder, VaeFileName), KeyPrefix);
    }
}
