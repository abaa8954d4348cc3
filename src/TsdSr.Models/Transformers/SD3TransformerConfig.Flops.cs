namespace TsdSr.Models.Transformers;

/// <summary>Analytic compute of the transformer, for efficiency figures.</summary>
public sealed partial record SD3TransformerConfig
{
    /// <summary>
    /// Floating-point operations (a multiply-add counts 2) of one forward pass on a <paramref name="latentHeight"/> ×
    /// <paramref name="latentWidth"/> latent with <paramref name="textTokens"/> context tokens: the patch embedding, the
    /// context embedder, every projection, feed-forward and attention product of the joint blocks (and the MMDiT-X
    /// second attention), and the output projection. Per-sample vectors (timestep, pooled text, modulations) and
    /// normalisations are negligible and not counted.
    /// </summary>
    public double ForwardFlops(long latentHeight, long latentWidth, long textTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(textTokens);
        double d = InnerDim, n = (double)(latentHeight / PatchSize) * (latentWidth / PatchSize), l = textTokens, p2 = PatchSize * PatchSize;
        double flops = (2 * InChannels * p2 * d * n) + (2 * JointAttentionDim * d * l) + (2 * d * p2 * OutChannels * n);
        for (int i = 0; i < NumLayers; i++)
        {
            bool last = i == NumLayers - 1;
            double joint = n + l;
            flops += 3 * 2 * d * d * joint; // q, k, v of both streams
            flops += 2 * 2 * joint * joint * d; // Q·Kᵀ and A·V
            flops += 2 * d * d * (last ? n : joint); // to_out (and to_add_out except in the last block)
            flops += 16 * d * d * (last ? n : joint); // ff (and ff_context except in the last block): d → 4d → d
            if (IsDualAttentionLayer(i))
            {
                flops += (4 * 2 * d * d * n) + (2 * 2 * n * n * d);
            }
        }

        return flops;
    }
}
