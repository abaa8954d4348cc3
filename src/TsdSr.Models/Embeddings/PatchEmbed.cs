using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Embeddings;

/// <summary>
/// diffusers' <c>PatchEmbed</c> as SD3 configures it: a stride-p convolution turns the latent into row-major tokens,
/// then the centre crop of the stored M×M sine-cosine table (the persistent buffer <c>pos_embed</c>, loaded from the
/// checkpoint) is added.
/// </summary>
public sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
    private readonly LoraConv2d proj;
    private Tensor pos_embed;

    /// <summary>Creates the embedding.</summary>
    /// <param name="patchSize">p: kernel and stride of the projection.</param>
    /// <param name="inChannels">Latent channels.</param>
    /// <param name="embedDim">Token width D.</param>
    /// <param name="posEmbedMaxSize">M: side of the position table.</param>
    /// <param name="baseSize">sample_size / patch_size, used only to compute the initial table.</param>
    /// <param name="computePositionTable">
    /// False leaves the table uninitialised, for callers that load it from a checkpoint right away.
    /// </param>
    public PatchEmbed(long patchSize, long inChannels, long embedDim, long posEmbedMaxSize, long baseSize, bool computePositionTable = true)
        : base(nameof(PatchEmbed))
    {
        PatchSize = patchSize;
        EmbedDim = embedDim;
        PosEmbedMaxSize = posEmbedMaxSize;
        proj = new LoraConv2d(inChannels, embedDim, patchSize, stride: patchSize);
        pos_embed = computePositionTable
            ? SinCosPositionTable.Create(embedDim, posEmbedMaxSize, baseSize)
            : ModelConstruction.Empty(1, posEmbedMaxSize * posEmbedMaxSize, embedDim);
        RegisterComponents();
    }

    /// <summary>p.</summary>
    public long PatchSize { get; }

    /// <summary>D.</summary>
    public long EmbedDim { get; }

    /// <summary>M: the largest token grid side the table covers.</summary>
    public long PosEmbedMaxSize { get; }

    /// <summary>Tokens [B, h·w, D] for a latent [B, C, H, W] (h = H/p, w = W/p; row-major token order).</summary>
    /// <exception cref="ArgumentException">The size is not divisible by p, or the grid exceeds the table.</exception>
    public override Tensor forward(Tensor latent)
    {
        if (latent.dim() != 4)
        {
            throw new ArgumentException($"The latent must be [B, C, H, W], got [{string.Join(", ", latent.shape)}].", nameof(latent));
        }

        long height = latent.shape[2], width = latent.shape[3];
        if (height % PatchSize != 0 || width % PatchSize != 0)
        {
            throw new ArgumentException($"Latent height and width ({height}×{width}) must be divisible by the patch size {PatchSize}.", nameof(latent));
        }

        using var scope = NewDisposeScope();
        var tokens = proj.call(latent).flatten(2).transpose(1, 2);
        var pe = CroppedPositions(height / PatchSize, width / PatchSize);
        return (tokens + pe).to(tokens.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The centre h×w crop of the table as [1, h·w, D]; with an odd margin the extra row/column is left at the
    /// bottom/right (floor division), as diffusers does.
    /// </summary>
    public Tensor CroppedPositions(long h, long w)
    {
        var m = PosEmbedMaxSize;
        if (h > m || w > m)
        {
            throw new ArgumentException($"The token grid {h}×{w} exceeds pos_embed_max_size {m}; the latent is too large for this model.");
        }

        using var scope = NewDisposeScope();
        long top = (m - h) / 2, left = (m - w) / 2;
        var grid = pos_embed.reshape(1, m, m, -1);
        var crop = grid.narrow(1, top, h).narrow(2, left, w);
        return crop.reshape(1, h * w, grid.shape[^1]).MoveToOuterDisposeScope();
    }
}
