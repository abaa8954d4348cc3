namespace TsdSr.Models.Transformers;

/// <summary>Sizes derived from the config, without building the model.</summary>
public sealed partial record SD3TransformerConfig
{
    /// <summary>
    /// Number of learnable parameters of the model this config builds (2,028,328,000 for SD3-medium), computed
    /// analytically so that multi-gigabyte models need not be allocated.
    /// </summary>
    /// <param name="includePositionTable">Also count the persistent <c>pos_embed</c> buffer (M²·D values).</param>
    public long ParameterCount(bool includePositionTable = false)
    {
        long d = InnerDim;
        long p = PatchSize;
        long total = (d * InChannels * p * p) + d // pos_embed.proj
            + Linear(256, d) + Linear(d, d) // timestep_embedder
            + Linear(PooledProjectionDim, d) + Linear(d, d) // text_embedder
            + Linear(JointAttentionDim, CaptionProjectionDim) // context_embedder
            + Linear(d, 2 * d) // norm_out
            + Linear(d, p * p * OutChannels); // proj_out
        long qkNorm = UsesRmsQkNorm ? AttentionHeadDim : 0;
        for (int i = 0; i < NumLayers; i++)
        {
            bool last = i == NumLayers - 1;
            bool dual = IsDualAttentionLayer(i);
            total += Linear(d, (dual ? 9 : 6) * d); // norm1
            total += Linear(d, (last ? 2 : 6) * d); // norm1_context
            total += (last ? 7 : 8) * Linear(d, d) + (4 * qkNorm); // attn
            if (dual)
            {
                total += (4 * Linear(d, d)) + (2 * qkNorm); // attn2
            }

            total += (last ? 1 : 2) * (Linear(d, 4 * d) + Linear(4 * d, d)); // ff, ff_context
        }

        return includePositionTable ? total + ((long)PosEmbedMaxSize * PosEmbedMaxSize * d) : total;
    }

    private static long Linear(long inFeatures, long outFeatures) => (inFeatures * outFeatures) + outFeatures;
}
