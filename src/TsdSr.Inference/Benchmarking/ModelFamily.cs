namespace TsdSr.Inference.Benchmarking;

/// <summary>The model sizes a random benchmark pipeline can have.</summary>
public enum ModelFamily
{
    /// <summary>SD3-medium transformer (2B parameters), SD3 VAE, r 64 LoRA, [1, 333, 4096] prompt: the released TSD-SR.</summary>
    Sd3Medium,

    /// <summary>TSD-SR-nano: <c>SD3TransformerConfig.Nano</c>, <c>AutoencoderKLConfig.Nano</c>, LoRA r 32 / 16, 8 prompt tokens.</summary>
    Nano,

    /// <summary>The tiny test models (smoke runs).</summary>
    Tiny,
}
