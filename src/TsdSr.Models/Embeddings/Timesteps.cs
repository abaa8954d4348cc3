using static TorchSharp.torch;

namespace TsdSr.Models.Embeddings;

/// <summary>
/// diffusers' <c>Timesteps(256, flip_sin_to_cos=True, downscale_freq_shift=0)</c>: the sinusoidal timestep features
/// [cos(t·f), sin(t·f)], f_i = exp(−ln(10000)·i/half), always computed in fp32 (float timesteps such as 987.38 are
/// kept, never rounded). It has no parameters.
/// </summary>
public sealed class Timesteps : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the projection.</summary>
    /// <param name="numChannels">Feature width (even).</param>
    public Timesteps(long numChannels = 256)
        : base(nameof(Timesteps))
    {
        if (numChannels <= 0 || numChannels % 2 != 0)
        {
            throw new ArgumentException($"The channel count must be a positive even number, got {numChannels}.", nameof(numChannels));
        }

        NumChannels = numChannels;
        RegisterComponents();
    }

    /// <summary>Feature width.</summary>
    public long NumChannels { get; }

    /// <summary>Features [B, numChannels] (fp32) for timesteps [B].</summary>
    public override Tensor forward(Tensor timesteps)
    {
        if (timesteps.dim() != 1)
        {
            throw new ArgumentException($"Timesteps must be a 1-D tensor [B], got [{string.Join(", ", timesteps.shape)}].", nameof(timesteps));
        }

        using var scope = NewDisposeScope();
        var half = NumChannels / 2;
        // Same op order as diffusers' get_timestep_embedding, so fp32 rounding matches.
        var exponent = arange(half, dtype: ScalarType.Float32, device: timesteps.device) * (-Math.Log(10000.0));
        exponent = exponent / (double)half;
        var freqs = exp(exponent);
        var args = timesteps.unsqueeze(1).to(ScalarType.Float32) * freqs.unsqueeze(0);
        return cat(new[] { cos(args), sin(args) }, dim: -1).MoveToOuterDisposeScope();
    }
}
