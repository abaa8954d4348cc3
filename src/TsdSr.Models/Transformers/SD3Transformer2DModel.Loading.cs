using TorchSharp;
using TsdSr.Core.Devices;
using TsdSr.Core.Layout;
using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;
using static TorchSharp.torch;

namespace TsdSr.Models.Transformers;

/// <summary>Loading a diffusers <c>transformer/</c> folder.</summary>
public sealed partial class SD3Transformer2DModel
{
    /// <summary>The diffusers config file name.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>The diffusers single-file weight name.</summary>
    public const string WeightsFileName = "diffusion_pytorch_model.safetensors";

    /// <summary>The diffusers sharded-checkpoint index name.</summary>
    public const string WeightsIndexFileName = "diffusion_pytorch_model.safetensors.index.json";

    /// <summary>
    /// Loads a diffusers <c>transformer/</c> folder: <c>config.json</c> plus <c>diffusion_pytorch_model.safetensors</c>
    /// (or a sharded checkpoint via its <c>.index.json</c>). <paramref name="directory"/> may also be a pipeline root
    /// with a <c>transformer/</c> subfolder or a Hugging Face cache folder of the model (see <c>DiffusersLayout</c>). The model is built directly in
    /// <paramref name="dtype"/> on <paramref name="device"/> without random initialisation, loaded strictly (every key,
    /// no mapping; values converted on copy), and put in eval mode.
    /// </summary>
    /// <param name="directory">The component folder, pipeline root or cache folder.</param>
    /// <param name="dtype">Weight dtype: Float32 (default), BFloat16 or Float16.</param>
    /// <param name="device">Target device; null keeps the CPU.</param>
    /// <param name="progress">Reports (tensors loaded, total).</param>
    /// <param name="cancellationToken">Checked between tensors.</param>
    /// <param name="onWarning">Receives what loads but deserves a word: unknown config keys, a wrong <c>_class_name</c>.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The config or the weights are missing.</exception>
    /// <exception cref="FormatException">The config is invalid.</exception>
    /// <exception cref="InvalidDataException">The checkpoint's variant (MMDiT-X layers, qk-norm) contradicts the config.</exception>
    /// <exception cref="WeightLoadException">The checkpoint keys, shapes or dtypes do not match the model exactly, or a value is not finite.</exception>
    /// <exception cref="InvalidDataException">The config describes a model of another size than the weights file holds (checked before anything is allocated).</exception>
    /// <exception cref="MemoryEstimateException">The model the config describes would not fit in the available memory (checked before anything is allocated).</exception>
    public static SD3Transformer2DModel FromPretrained(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default, Action<string>? onWarning = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Float64))
        {
            throw new ArgumentException($"The weight dtype must be a floating-point type, got {dtype}.", nameof(dtype));
        }

        // A component folder, a pipeline root (transformer/), or a Hugging Face cache repository / snapshot folder.
        var paths = DiffusersLayout.Resolve(directory, "transformer");
        var warnings = new List<string>();
        var config = SD3TransformerConfig.FromFile(paths.ConfigPath, warnings);
        warnings.ForEach(w => onWarning?.Invoke(w));
        using var source = TensorSources.Open(paths.WeightsPath!);
        // These checks read headers only: nothing the config describes is allocated before they pass.
        var variant = SD3TransformerVariant.Detect(source.Tensors.Keys);
        if (!variant.Matches(config))
        {
            throw new InvalidDataException(
                $"'{source.Description}' is a checkpoint with {variant}, but '{ConfigFileName}' declares dual_attention_layers [{string.Join(", ", config.DualAttentionLayers)}], qk_norm {config.QkNorm ?? "null"}.");
        }

        var what = $"the transformer of '{paths.ConfigPath}' ({config.NumLayers} layers of width {config.InnerDim}, pos_embed_max_size {config.PosEmbedMaxSize})";
        ModelSizeCheck.RequireFileMatches(source, () => config.ParameterCount(includePositionTable: true), what);
        HostMemory.EnsureFits(config.EstimatedBytes(), what);

        SD3Transformer2DModel model;
        // Allocated once, in the target dtype and place, with no random init: the strict load overwrites every value.
        using (ModelConstruction.ForLoading(dtype, device))
        {
            model = new SD3Transformer2DModel(config, computePositionTable: false);
        }

        try
        {
            WeightLoader.Load(model, source, new WeightLoadOptions { Progress = progress, CancellationToken = cancellationToken });
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
