namespace TsdSr.Core.Layout;

/// <summary>
/// Finds a component's config and weights in the folder layouts diffusers models come in: a component folder, a
/// pipeline root (<c>model_index.json</c> and/or <c>transformer/</c>, <c>vae/</c>, <c>scheduler/</c>), or a Hugging
/// Face cache repository folder (<c>models--stabilityai--stable-diffusion-3-medium-diffusers</c>) or one of its
/// snapshots.
/// </summary>
public static class DiffusersLayout
{
    /// <summary>The pipeline-level file listing the components.</summary>
    public const string ModelIndexFileName = "model_index.json";

    /// <summary>Config file name of model components.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>Config file name of schedulers.</summary>
    public const string SchedulerConfigFileName = "scheduler_config.json";

    /// <summary>
    /// Resolves <paramref name="component"/> under <paramref name="path"/>. Weights are looked for in this order:
    /// <c>diffusion_pytorch_model[.variant].safetensors</c>, its <c>.index.json</c>, <c>model[.variant].safetensors</c>,
    /// its <c>.index.json</c>, then <c>diffusion_pytorch_model[.variant].bin</c>.
    /// </summary>
    /// <param name="path">A component folder, a pipeline root, a cache repository folder or a snapshot folder.</param>
    /// <param name="component">Component name, e.g. <c>transformer</c>, <c>vae</c>, <c>scheduler</c> (no weights).</param>
    /// <param name="variant">Weight variant such as <c>fp16</c>, or null.</param>
    /// <param name="revision">Cache revision (a ref name or commit hash); used only for cache folders.</param>
    /// <exception cref="DirectoryNotFoundException">The path or the component folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The config or the weights are missing (the message lists what was expected where).</exception>
    public static DiffusersComponentPaths Resolve(string path, string component, string? variant = null, string revision = "main")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(component);
        if (component.IndexOfAny(['/', '\\']) >= 0 || component is "." or "..")
        {
            throw new ArgumentException($"Component '{component}' is not a plain folder name.", nameof(component));
        }

        var root = ResolveRoot(path, revision);
        var dir = ComponentDirectory(root, component);
        bool isScheduler = component == "scheduler";
        var configName = isScheduler ? SchedulerConfigFileName : ConfigFileName;
        var config = Path.Combine(dir, configName);
        if (!File.Exists(config))
        {
            throw new FileNotFoundException($"Component '{component}' folder '{dir}' has no {configName} (expected '{config}').", config);
        }

        return new DiffusersComponentPaths(component, dir, config, isScheduler ? null : FindWeights(dir, component, variant));
    }

    /// <summary>
    /// The folder that holds the model files: a cache repository folder becomes its snapshot, anything else is returned
    /// as a full path.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The path does not exist, or the cache has no matching snapshot.</exception>
    public static string ResolveRoot(string path, string revision = "main")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full) && Path.GetFileName(full) == ModelIndexFileName)
        {
            return Path.GetDirectoryName(full)!;
        }

        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"Model folder not found: '{full}'.");
        }

        return HuggingFaceCache.IsRepositoryFolder(full) ? HuggingFaceCache.ResolveSnapshot(full, revision) : full;
    }

    /// <summary>The weight file names tried in a component folder, in order.</summary>
    public static IReadOnlyList<string> WeightFileCandidates(string? variant = null)
    {
        var v = string.IsNullOrEmpty(variant) ? "" : "." + variant;
        return
        [
            $"diffusion_pytorch_model{v}.safetensors",
            $"diffusion_pytorch_model{v}.safetensors.index.json",
            $"model{v}.safetensors",
            $"model{v}.safetensors.index.json",
            $"diffusion_pytorch_model{v}.bin",
        ];
    }

    private static string ComponentDirectory(string root, string component)
    {
        var sub = Path.Combine(root, component);
        if (Directory.Exists(sub))
        {
            return sub;
        }

        // A component folder passed directly: it has its own config and is not a pipeline root.
        var ownConfig = component == "scheduler" ? SchedulerConfigFileName : ConfigFileName;
        bool isPipelineRoot = File.Exists(Path.Combine(root, ModelIndexFileName));
        if (!isPipelineRoot && File.Exists(Path.Combine(root, ownConfig)))
        {
            return root;
        }

        var present = Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        throw new DirectoryNotFoundException(
            $"No '{component}' component in '{root}': expected a pipeline root with a '{component}/' folder (expected '{sub}'), "
            + $"or a component folder with {ownConfig}{(isPipelineRoot ? "" : " and weights")} directly in it. "
            + $"{(isPipelineRoot ? $"It is a pipeline root ({ModelIndexFileName} present); " : "")}"
            + $"subfolders present: {(present.Count == 0 ? "none" : string.Join(", ", present))}.");
    }

    private static string FindWeights(string dir, string component, string? variant)
    {
        var candidates = WeightFileCandidates(variant);
        foreach (var name in candidates)
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p))
            {
                return p;
            }
        }

        var files = Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        throw new FileNotFoundException(
            $"Component '{component}' folder '{dir}' has no weights: expected one of {string.Join(", ", candidates)}. "
            + $"Files present: {(files.Count == 0 ? "none" : string.Join(", ", files))}.",
            Path.Combine(dir, candidates[0]));
    }
}
