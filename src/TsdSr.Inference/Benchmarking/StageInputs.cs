using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using static TorchSharp.torch;

namespace TsdSr.Inference.Benchmarking;

/// <summary>
/// Random inputs for timing each stage of an upscale to a square output of <c>size</c> pixels alone: the image for the
/// VAE encoder, the latent for the transformer and the decoder, the prompt, the pooled prompt and the student's
/// timestep (1000), with the sizes the models' configs give. Speed does not depend on the values.
/// </summary>
public sealed class StageInputs : IDisposable
{
    private StageInputs(Tensor pixels, Tensor latent, Tensor prompt, Tensor pooled, Tensor timestep)
    {
        Pixels = pixels;
        Latent = latent;
        Prompt = prompt;
        Pooled = pooled;
        Timestep = timestep;
    }

    /// <summary>The [1, 3, size, size] image in [−1, 1].</summary>
    public Tensor Pixels { get; }

    /// <summary>The [1, latent channels, size / f, size / f] latent.</summary>
    public Tensor Latent { get; }

    /// <summary>The [1, tokens, joint attention width] prompt.</summary>
    public Tensor Prompt { get; }

    /// <summary>The [1, pooled width] pooled prompt.</summary>
    public Tensor Pooled { get; }

    /// <summary>The [1] timestep 1000 (always fp32).</summary>
    public Tensor Timestep { get; }

    /// <summary>Inputs for <paramref name="transformer"/> and <paramref name="vae"/> in <paramref name="dtype"/> on <paramref name="device"/> (null: the CPU).</summary>
    public static StageInputs Create(SD3Transformer2DModel transformer, AutoencoderKL vae, int promptTokens, ScalarType dtype, Device? device = null, int size = 512)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(vae);
        device ??= CPU;
        long side = size / vae.Config.DownsampleFactor;
        // Drawn in fp32 on the CPU (the same values on every device), then converted; the fp32 drafts are freed here.
        using var scope = NewDisposeScope();
        return new StageInputs(
            rand(1, 3, size, size).mul_(2).sub_(1).to(dtype, device).MoveToOuterDisposeScope(),
            randn(1, vae.Config.LatentChannels, side, side).to(dtype, device).MoveToOuterDisposeScope(),
            randn(1, promptTokens, transformer.Config.JointAttentionDim).to(dtype, device).MoveToOuterDisposeScope(),
            randn(1, transformer.Config.PooledProjectionDim).to(dtype, device).MoveToOuterDisposeScope(),
            full(new long[] { 1 }, 1000f, device: device).MoveToOuterDisposeScope());
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Pixels.Dispose();
        Latent.Dispose();
        Prompt.Dispose();
        Pooled.Dispose();
        Timestep.Dispose();
    }
}
