namespace TsdSr.Models.Transformers;

/// <summary>
/// The diffusers <c>SD3Transformer2DModel</c> config (every <c>config.json</c> field), with named presets. Shipped
/// checkpoints always pass an explicit config, so the presets carry the checkpoint values, not diffusers' constructor
/// defaults.
/// </summary>
public sealed partial record SD3TransformerConfig
{
    /// <summary>The only qk-norm this port implements (SD3.5).</summary>
    public const string RmsNorm = "rms_norm";

    /// <summary><c>sample_size</c>: default latent side (image side / 8).</summary>
    public required int SampleSize { get; init; }

    /// <summary><c>patch_size</c>: p, the patchify kernel and stride.</summary>
    public required int PatchSize { get; init; }

    /// <summary><c>in_channels</c>: latent channels.</summary>
    public required int InChannels { get; init; }

    /// <summary><c>out_channels</c>: output channels (diffusers uses in_channels when the file has null).</summary>
    public required int OutChannels { get; init; }

    /// <summary><c>num_layers</c>: number of joint blocks; the last one is context_pre_only.</summary>
    public required int NumLayers { get; init; }

    /// <summary><c>attention_head_dim</c>.</summary>
    public required int AttentionHeadDim { get; init; }

    /// <summary><c>num_attention_heads</c>.</summary>
    public required int NumAttentionHeads { get; init; }

    /// <summary><c>joint_attention_dim</c>: width of the text-encoder tokens.</summary>
    public required int JointAttentionDim { get; init; }

    /// <summary><c>caption_projection_dim</c>: width of the projected context (must equal the inner dim).</summary>
    public required int CaptionProjectionDim { get; init; }

    /// <summary><c>pooled_projection_dim</c>: width of the pooled text vector.</summary>
    public required int PooledProjectionDim { get; init; }

    /// <summary><c>pos_embed_max_size</c>: M, the side of the stored position table (largest token grid side).</summary>
    public required int PosEmbedMaxSize { get; init; }

    /// <summary><c>dual_attention_layers</c>: indices of SD3.5 MMDiT-X blocks (empty for SD3).</summary>
    public IReadOnlyList<int> DualAttentionLayers { get; init; } = [];

    /// <summary><c>qk_norm</c>: null, or <see cref="RmsNorm"/> (SD3.5).</summary>
    public string? QkNorm { get; init; }

    /// <summary>D = heads × head_dim.</summary>
    public int InnerDim => NumAttentionHeads * AttentionHeadDim;

    /// <summary>True when <see cref="QkNorm"/> is <see cref="RmsNorm"/>.</summary>
    public bool UsesRmsQkNorm => QkNorm == RmsNorm;

    /// <summary>stabilityai/stable-diffusion-3-medium-diffusers (2B, pos table 192²).</summary>
    public static SD3TransformerConfig Sd3Medium { get; } = new()
    {
        SampleSize = 128,
        PatchSize = 2,
        InChannels = 16,
        OutChannels = 16,
        NumLayers = 24,
        AttentionHeadDim = 64,
        NumAttentionHeads = 24,
        JointAttentionDim = 4096,
        CaptionProjectionDim = 1536,
        PooledProjectionDim = 2048,
        PosEmbedMaxSize = 192,
    };

    /// <summary>stabilityai/stable-diffusion-3.5-medium: MMDiT-X blocks 0..12, qk RMSNorm, pos table 384².</summary>
    public static SD3TransformerConfig Sd35Medium { get; } = Sd3Medium with
    {
        PosEmbedMaxSize = 384,
        DualAttentionLayers = Enumerable.Range(0, 13).ToArray(),
        QkNorm = RmsNorm,
    };

    /// <summary>stabilityai/stable-diffusion-3.5-large: 38 layers × 38 heads (D = 2432), qk RMSNorm, pos table 192².</summary>
    public static SD3TransformerConfig Sd35Large { get; } = Sd3Medium with
    {
        NumLayers = 38,
        NumAttentionHeads = 38,
        CaptionProjectionDim = 2432,
        QkNorm = RmsNorm,
    };

    /// <summary>The tiny random test model (the <c>sd3_transformer_tiny</c> fixture): 3 layers, D = 32.</summary>
    public static SD3TransformerConfig Tiny { get; } = new()
    {
        SampleSize = 16,
        PatchSize = 2,
        InChannels = 16,
        OutChannels = 16,
        NumLayers = 3,
        AttentionHeadDim = 16,
        NumAttentionHeads = 2,
        JointAttentionDim = 32,
        CaptionProjectionDim = 32,
        PooledProjectionDim = 24,
        PosEmbedMaxSize = 24,
    };

    /// <summary>
    /// TSD-SR-nano's MMDiT: 6 joint blocks of width 128 (4 heads × 32) over patch-4 tokens of the 8-channel nano VAE
    /// latent (one token per 16×16 pixels, as SD3's patch 2 over its 8× VAE), 64-wide prompt tokens and a 64² position
    /// table (token grids up to 64 per side: 1024 px in one tile). About 3.5 M parameters; docs/nano.md has the
    /// measurements behind the sizes.
    /// </summary>
    public static SD3TransformerConfig Nano { get; } = new()
    {
        SampleSize = 64,
        PatchSize = 4,
        InChannels = 8,
        OutChannels = 8,
        NumLayers = 6,
        AttentionHeadDim = 32,
        NumAttentionHeads = 4,
        JointAttentionDim = 64,
        CaptionProjectionDim = 128,
        PooledProjectionDim = 64,
        PosEmbedMaxSize = 64,
    };

    /// <summary>True when block <paramref name="index"/> is an MMDiT-X (dual attention) block.</summary>
    public bool IsDualAttentionLayer(int index) => DualAttentionLayers.Contains(index);

    /// <summary>Checks the values fit together.</summary>
    /// <exception cref="ArgumentException">A value is out of range or inconsistent; the message names the key.</exception>
    public void Validate()
    {
        Positive(SampleSize, "sample_size");
        Positive(PatchSize, "patch_size");
        Positive(InChannels, "in_channels");
        Positive(OutChannels, "out_channels");
        Positive(NumLayers, "num_layers");
        Positive(AttentionHeadDim, "attention_head_dim");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(JointAttentionDim, "joint_attention_dim");
        Positive(CaptionProjectionDim, "caption_projection_dim");
        Positive(PooledProjectionDim, "pooled_projection_dim");
        Positive(PosEmbedMaxSize, "pos_embed_max_size");
        if ((long)NumAttentionHeads * AttentionHeadDim > int.MaxValue)
        {
            throw new ArgumentException($"num_attention_heads × attention_head_dim ({NumAttentionHeads} × {AttentionHeadDim}) overflows 32 bits.");
        }

        if (CaptionProjectionDim != InnerDim)
        {
            throw new ArgumentException(
                $"caption_projection_dim ({CaptionProjectionDim}) must equal num_attention_heads × attention_head_dim ({NumAttentionHeads} × {AttentionHeadDim} = {InnerDim}): context and image tokens share the attention.");
        }

        if (InnerDim % 4 != 0)
        {
            throw new ArgumentException($"The inner dim {InnerDim} must be divisible by 4 (2-D sine-cosine position table).");
        }

        if (QkNorm is not null && QkNorm != RmsNorm)
        {
            throw new ArgumentException($"qk_norm '{QkNorm}' is not supported; use null or '{RmsNorm}'.");
        }

        foreach (var layer in DualAttentionLayers)
        {
            if (layer < 0 || layer >= NumLayers)
            {
                throw new ArgumentException($"dual_attention_layers contains {layer}, outside the {NumLayers} layers.");
            }
        }

        if (DualAttentionLayers.Distinct().Count() != DualAttentionLayers.Count)
        {
            throw new ArgumentException("dual_attention_layers contains duplicates.");
        }
    }

    /// <inheritdoc />
    public bool Equals(SD3TransformerConfig? other) =>
        other is not null
        && SampleSize == other.SampleSize
        && PatchSize == other.PatchSize
        && InChannels == other.InChannels
        && OutChannels == other.OutChannels
        && NumLayers == other.NumLayers
        && AttentionHeadDim == other.AttentionHeadDim
        && NumAttentionHeads == other.NumAttentionHeads
        && JointAttentionDim == other.JointAttentionDim
        && CaptionProjectionDim == other.CaptionProjectionDim
        && PooledProjectionDim == other.PooledProjectionDim
        && PosEmbedMaxSize == other.PosEmbedMaxSize
        && DualAttentionLayers.SequenceEqual(other.DualAttentionLayers)
        && QkNorm == other.QkNorm;

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(HashCode.Combine(SampleSize, PatchSize, InChannels, OutChannels, NumLayers, AttentionHeadDim, NumAttentionHeads),
            HashCode.Combine(JointAttentionDim, CaptionProjectionDim, PooledProjectionDim, PosEmbedMaxSize, DualAttentionLayers.Count, QkNorm));

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"sample_size = {SampleSize}, patch_size = {PatchSize}, in_channels = {InChannels}, out_channels = {OutChannels}, num_layers = {NumLayers}, attention_head_dim = {AttentionHeadDim}, num_attention_heads = {NumAttentionHeads}, joint_attention_dim = {JointAttentionDim}, caption_projection_dim = {CaptionProjectionDim}, pooled_projection_dim = {PooledProjectionDim}, pos_embed_max_size = {PosEmbedMaxSize}, dual_attention_layers = [{string.Join(", ", DualAttentionLayers)}], qk_norm = {QkNorm ?? "null"}");
        return true;
    }

    private static void Positive(int value, string key)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{key} must be positive, got {value}.");
        }
    }
}
