namespace TsdSr.Models.Transformers;

/// <summary>Sizes derived from the config, without building the model.</summary>
public sealed partial record SD3TransformerConfig
{
    /// <summary>
    /// Number of learnable parameters of the model this config builds (2,028,328,000 for SD3-medium), computed
    /// analytically so that multi-gigabyte models need not be allocated.
    /// </summary>
    /// <param name="includePositionTable">Also count the persistent <c>pos_embed</c> buffer (M²·D values).</param>
    /// <exception cref="OverflowException">The count does not fit 64 bits (see <see cref="EstimatedBytes"/>, which saturates).</exception>
    public long ParameterCount(bool includePositionTable = false)
    {
        checked
        {
            long d = InnerDim;
            long p = PatchSize;
            long total = (d * InChannels * p * p) + d; // pos_embed.proj
            total += Linears().Sum(l => (l.In * l.Out) + l.Out);
            long qkNorm = UsesRmsQkNorm ? AttentionHeadDim : 0;
            for (int i = 0; i < NumLayers; i++)
            {
                total += (IsDualAttentionLayer(i) ? 6 : 4) * qkNorm; // norm_q/k, norm_added_q/k (, attn2's norm_q/k)
            }

            return includePositionTable ? total + ((long)PosEmbedMaxSize * PosEmbedMaxSize * d) : total;
        }
    }

    /// <summary>
    /// Parameters of a LoRA adapter of rank <paramref name="rank"/> on every LoRA-capable layer (an upper bound for
    /// adapters that target fewer layers): rank × (in + out) per Linear, rank × (in·k² + out) for the patch convolution.
    /// </summary>
    /// <exception cref="OverflowException">The count does not fit 64 bits.</exception>
    public long LoraParameterCount(long rank)
    {
        checked
        {
            long d = InnerDim;
            long p = PatchSize;
            return rank * ((InChannels * p * p) + d + Linears().Sum(l => l.In + l.Out));
        }
    }

    /// <summary>
    /// Bytes of the fp32 model with its position table (the size <c>FromPretrained</c> allocates before any cast),
    /// saturating at <see cref="long.MaxValue"/> for configs too large to count.
    /// </summary>
    public long EstimatedBytes()
    {
        try
        {
            return checked(ParameterCount(includePositionTable: true) * sizeof(float));
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>(in, out) of every Linear of the model, in construction order.</summary>
    private IEnumerable<(long In, long Out)> Linears()
    {
        long d = InnerDim;
        long p = PatchSize;
        yield return (256, d); // timestep_embedder.linear_1
        yield return (d, d); // timestep_embedder.linear_2
        yield return (PooledProjectionDim, d); // text_embedder.linear_1
        yield return (d, d); // text_embedder.linear_2
        yield return (JointAttentionDim, CaptionProjectionDim); // context_embedder
        yield return (d, 2 * d); // norm_out
        yield return (d, p * p * OutChannels); // proj_out
        for (int i = 0; i < NumLayers; i++)
        {
            bool last = i == NumLayers - 1;
            bool dual = IsDualAttentionLayer(i);
            yield return (d, (dual ? 9 : 6) * d); // norm1
            yield return (d, (last ? 2 : 6) * d); // norm1_context
            for (int k = 0; k < (last ? 7 : 8) + (dual ? 4 : 0); k++)
            {
                yield return (d, d); // attn (to_q/k/v/out, add_q/k/v_proj, to_add_out), attn2
            }

            for (int k = 0; k < (last ? 1 : 2); k++)
            {
                yield return (d, 4 * d); // ff(_context).net.0.proj
                yield return (4 * d, d); // ff(_context).net.2
            }
        }
    }
}
