namespace TsdSr.Inference;

/// <summary>
/// The model an application carries in its output folder: the <c>TsdSr.Nano</c> package copies TSD-SR-nano (a small
/// model of the same family, trained by this project on public photos) to <c>tsdsr-nano/</c> beside the application.
/// Hosts and the CLI use it when no model folders are configured. Its layout is a diffusers folder plus the TSD-SR
/// parts: <c>transformer/</c>, <c>vae/</c>, <c>scheduler/</c>, <c>lora/</c> (<c>transformer.safetensors</c>,
/// <c>vae.safetensors</c>) and <c>embeddings/default</c> (and <c>embeddings/null</c>, used only for training).
/// </summary>
public static class BundledModel
{
    /// <summary>The folder name inside the application's base directory.</summary>
    public const string FolderName = "tsdsr-nano";

    /// <summary>Where the bundled model is looked for: <c>tsdsr-nano/</c> in <see cref="AppContext.BaseDirectory"/>.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, FolderName);

    /// <summary>The three weight locations of a model folder in the bundled layout (whether or not it exists).</summary>
    public static TsdSrModelPaths PathsIn(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        return new TsdSrModelPaths(full, Path.Combine(full, "lora"), Path.Combine(full, "embeddings", "default"));
    }

    /// <summary>The bundled model's paths when <paramref name="folder"/> (default <see cref="DefaultDirectory"/>) holds one, else null.</summary>
    public static TsdSrModelPaths? TryFind(string? folder = null)
    {
        var paths = PathsIn(folder ?? DefaultDirectory);
        bool present = File.Exists(Path.Combine(paths.ModelDirectory, "transformer", "config.json"))
            && File.Exists(Path.Combine(paths.ModelDirectory, "vae", "config.json"))
            && File.Exists(Path.Combine(paths.LoraDirectory, "transformer.safetensors"))
            && Directory.Exists(paths.EmbeddingsDirectory);
        return present ? paths : null;
    }
}
