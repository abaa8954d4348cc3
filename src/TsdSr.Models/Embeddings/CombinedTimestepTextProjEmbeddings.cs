using static TorchSharp.torch;

namespace TsdSr.Models.Embeddings;

/// <summary>
/// diffusers' <c>CombinedTimestepTextProjEmbeddings</c>: the conditioning vector
/// <c>temb = timestep_embedder(time_proj(t)) + text_embedder(pooled)</c> that drives every adaLN.
/// </summary>
public sealed class CombinedTimestepTextProjEmbeddings : nn.Module
{
    private readonly Timesteps time_proj;
    private readonly TimestepEmbedding timestep_embedder;
    private readonly PixArtAlphaTextProjection text_embedder;

    /// <summary>The name under which <see cref="forward"/> reports the timestep sinusoid.</summary>
    public const string TimestepProjName = "timestep_proj";

    /// <summary>Creates the embeddings.</summary>
    /// <param name="embeddingDim">Output width D.</param>
    /// <param name="pooledProjectionDim">Width of the pooled text vector.</param>
    public CombinedTimestepTextProjEmbeddings(long embeddingDim, long pooledProjectionDim)
        : base(nameof(CombinedTimestepTextProjEmbeddings))
    {
        time_proj = new Timesteps(256);
        timestep_embedder = new TimestepEmbedding(256, embeddingDim);
        text_embedder = new PixArtAlphaTextProjection(pooledProjectionDim, embeddingDim);
        RegisterComponents();
    }

    /// <summary>temb [B,D] for float timesteps [B] and pooled text [B,P].</summary>
    /// <param name="timestep">Timesteps (σ·1000, float; any dtype, the sinusoid is computed in fp32).</param>
    /// <param name="pooledProjection">Pooled text vectors; their dtype is the compute dtype.</param>
    /// <param name="capture">Optional observer, called with <see cref="TimestepProjName"/> and the fp32 sinusoid (valid during the call only).</param>
    public Tensor forward(Tensor timestep, Tensor pooledProjection, Action<string, Tensor>? capture = null)
    {
        using var scope = NewDisposeScope();
        var proj = time_proj.call(timestep);
        capture?.Invoke(TimestepProjName, proj);
        var timeEmb = timestep_embedder.call(proj.to(pooledProjection.dtype));
        var textEmb = text_embedder.call(pooledProjection);
        return (timeEmb + textEmb).MoveToOuterDisposeScope();
    }
}
