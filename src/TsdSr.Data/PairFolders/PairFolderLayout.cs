using System.Globalization;

namespace TsdSr.Data.PairFolders;

/// <summary>
/// The offline pair layout TSD-SR's training reads: numbered files (integer names, sorted by value) in
/// <c>gt/</c> and <c>lr_bicubic/</c> (PNG), with optional <c>lr/</c> (PNG) and <c>latent_hr/</c>,
/// <c>prompt_embeds/</c>, <c>pool_embeds/</c> (tensors, stored here as single-tensor safetensors files).
/// </summary>
public static class PairFolderLayout
{
    /// <summary>HR images (512², USM-sharpened for SeeSR-made data).</summary>
    public const string Gt = "gt";

    /// <summary>Degraded LR bicubic-upsampled back to the HR size.</summary>
    public const string LrBicubic = "lr_bicubic";

    /// <summary>Degraded LR at its own size (optional; SeeSR writes it, TSD-SR does not read it).</summary>
    public const string Lr = "lr";

    /// <summary>HR latents [16, 64, 64] (optional).</summary>
    public const string LatentHr = "latent_hr";

    /// <summary>Prompt embeddings [333, 4096] (optional).</summary>
    public const string PromptEmbeds = "prompt_embeds";

    /// <summary>Pooled prompt embeddings [2048] (optional).</summary>
    public const string PoolEmbeds = "pool_embeds";

    /// <summary>Image folders.</summary>
    public static IReadOnlyList<string> ImageFolders { get; } = [Gt, LrBicubic, Lr];

    /// <summary>Tensor folders.</summary>
    public static IReadOnlyList<string> TensorFolders { get; } = [LatentHr, PromptEmbeds, PoolEmbeds];

    /// <summary>The file name of <paramref name="index"/>: zero-padded to 7 digits so that name order equals numeric order.</summary>
    public static string FileName(long index, string extension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return index.ToString("D7", CultureInfo.InvariantCulture) + extension;
    }
}
