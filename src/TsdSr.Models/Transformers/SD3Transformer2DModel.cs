using TorchSharp.Modules;
using TsdSr.Models.Embeddings;
using TsdSr.Models.Lora;
using TsdSr.Models.Normalization;
using static TorchSharp.torch;

namespace TsdSr.Models.Transformers;

/// <summary>
/// diffusers' <c>SD3Transformer2DModel</c>: the MMDiT of Stable Diffusion 3 / 3.5 (including SD3.5-medium's MMDiT-X
/// blocks and qk RMSNorm). Submodules carry diffusers' attribute names, so a diffusers checkpoint loads with no key
/// mapping. The model predicts the flow-matching velocity for a latent.
/// </summary>
public sealed partial class SD3Transformer2DModel : nn.Module
{
    private readonly PatchEmbed pos_embed;
    private readonly CombinedTimestepTextProjEmbeddings time_text_embed;
    private readonly LoraLinear context_embedder;
    private readonly ModuleList<JointTransformerBlock> transformer_blocks;
    private readonly AdaLayerNormContinuous norm_out;
    private readonly LoraLinear proj_out;

    /// <summary>Builds a randomly initialised fp32 CPU model (e.g. for benchmarks); the position table is computed.</summary>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    public SD3Transformer2DModel(SD3TransformerConfig config)
        : this(config, computePositionTable: true)
    {
    }

    private SD3Transformer2DModel(SD3TransformerConfig config, bool computePositionTable)
        : base(nameof(SD3Transformer2DModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        long d = config.InnerDim;
        pos_embed = new PatchEmbed(config.PatchSize, config.InChannels, d, config.PosEmbedMaxSize, config.SampleSize / config.PatchSize, computePositionTable);
        time_text_embed = new CombinedTimestepTextProjEmbeddings(d, config.PooledProjectionDim);
        context_embedder = new LoraLinear(config.JointAttentionDim, config.CaptionProjectionDim);
        transformer_blocks = new ModuleList<JointTransformerBlock>(Enumerable.Range(0, config.NumLayers)
            .Select(i => new JointTransformerBlock(d, config.NumAttentionHeads, config.AttentionHeadDim,
                contextPreOnly: i == config.NumLayers - 1, config.UsesRmsQkNorm, config.IsDualAttentionLayer(i)))
            .ToArray());
        norm_out = new AdaLayerNormContinuous(d, d);
        proj_out = new LoraLinear(d, (long)config.PatchSize * config.PatchSize * config.OutChannels);
        RegisterComponents();
    }

    /// <summary>The config the model was built from.</summary>
    public SD3TransformerConfig Config { get; }

    /// <summary>
    /// Predicts the velocity for a latent.
    /// </summary>
    /// <param name="hiddenStates">Latent [B, in_channels, H, W]; H and W divisible by patch_size.</param>
    /// <param name="encoderHiddenStates">Text tokens [B, L, joint_attention_dim].</param>
    /// <param name="pooledProjections">Pooled text [B, pooled_projection_dim]; its dtype is the compute dtype.</param>
    /// <param name="timestep">Float timesteps [B] (σ·1000, not rounded); the sinusoid is computed in fp32.</param>
    /// <param name="skipLayers">Block indices to skip entirely (skip-layer guidance), or null.</param>
    /// <param name="intermediates">
    /// Optional observer called with <see cref="SD3TransformerIntermediates"/> names and tensors. A tensor is valid
    /// only during the call; clone it to keep it.
    /// </param>
    /// <returns>The velocity [B, out_channels, H, W]; the caller owns it.</returns>
    /// <exception cref="ArgumentException">An input has the wrong rank, size or batch.</exception>
    public Tensor forward(Tensor hiddenStates, Tensor encoderHiddenStates, Tensor pooledProjections, Tensor timestep,
        IReadOnlyCollection<int>? skipLayers = null, Action<string, Tensor>? intermediates = null)
    {
        CheckInputs(hiddenStates, encoderHiddenStates, pooledProjections, timestep);
        using var scope = NewDisposeScope();
        long height = hiddenStates.shape[2], width = hiddenStates.shape[3];

        var x = pos_embed.call(hiddenStates);
        intermediates?.Invoke(SD3TransformerIntermediates.PatchEmbed, x);
        var temb = time_text_embed.forward(timestep, pooledProjections, intermediates);
        intermediates?.Invoke(SD3TransformerIntermediates.Temb, temb);
        Tensor? c = context_embedder.call(encoderHiddenStates);
        intermediates?.Invoke(SD3TransformerIntermediates.ContextEmbed, c);

        for (int i = 0; i < transformer_blocks.Count; i++)
        {
            if (skipLayers?.Contains(i) == true)
            {
                continue;
            }

            var (nextC, nextX) = transformer_blocks[i].forward(x, c!, temb);
            // Free each block's inputs as soon as they are consumed: activations dominate memory at high resolution.
            x.Dispose();
            c!.Dispose();
            (x, c) = (nextX, nextC);
            intermediates?.Invoke(SD3TransformerIntermediates.BlockHiddenStates(i), x);
            if (c is not null)
            {
                intermediates?.Invoke(SD3TransformerIntermediates.BlockEncoderHiddenStates(i), c);
            }
        }

        var normed = norm_out.forward(x, temb);
        intermediates?.Invoke(SD3TransformerIntermediates.NormOut, normed);
        var tokens = proj_out.call(normed);
        intermediates?.Invoke(SD3TransformerIntermediates.ProjOut, tokens);
        return Unpatchify(tokens, height, width).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [B, h·w, p·p·C] → [B, C, h·p, w·p]: <c>out[n, c, p·i + a, p·j + b] = tok[n, i·w + j, (a·p + b)·C + c]</c>
    /// (diffusers' einsum <c>nhwpqc→nchpwq</c>).
    /// </summary>
    private Tensor Unpatchify(Tensor tokens, long height, long width)
    {
        long p = Config.PatchSize, h = height / p, w = width / p, channels = Config.OutChannels;
        return tokens.reshape(tokens.shape[0], h, w, p, p, channels)
            .permute(0, 5, 1, 3, 2, 4)
            .reshape(tokens.shape[0], channels, h * p, w * p);
    }

    private void CheckInputs(Tensor hiddenStates, Tensor encoderHiddenStates, Tensor pooledProjections, Tensor timestep)
    {
        ArgumentNullException.ThrowIfNull(hiddenStates);
        ArgumentNullException.ThrowIfNull(encoderHiddenStates);
        ArgumentNullException.ThrowIfNull(pooledProjections);
        ArgumentNullException.ThrowIfNull(timestep);
        if (hiddenStates.dim() != 4 || hiddenStates.shape[1] != Config.InChannels)
        {
            throw new ArgumentException($"hidden_states must be [B, {Config.InChannels}, H, W], got {Shape(hiddenStates)}.", nameof(hiddenStates));
        }

        long batch = hiddenStates.shape[0];
        if (encoderHiddenStates.dim() != 3 || encoderHiddenStates.shape[0] != batch || encoderHiddenStates.shape[2] != Config.JointAttentionDim)
        {
            throw new ArgumentException($"encoder_hidden_states must be [{batch}, L, {Config.JointAttentionDim}], got {Shape(encoderHiddenStates)}.", nameof(encoderHiddenStates));
        }

        if (pooledProjections.dim() != 2 || pooledProjections.shape[0] != batch || pooledProjections.shape[1] != Config.PooledProjectionDim)
        {
            throw new ArgumentException($"pooled_projections must be [{batch}, {Config.PooledProjectionDim}], got {Shape(pooledProjections)}.", nameof(pooledProjections));
        }

        if (timestep.dim() != 1 || timestep.shape[0] != batch)
        {
            throw new ArgumentException($"timestep must be [{batch}], got {Shape(timestep)}.", nameof(timestep));
        }
    }

    private static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";
}
