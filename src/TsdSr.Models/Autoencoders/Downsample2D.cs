using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>
/// diffusers' <c>Downsample2D</c> with <c>padding=0</c> (the VAE encoder's): one zero column on the right and one zero
/// row at the bottom, then a 3×3 conv with stride 2 and no padding. A symmetric padding-1 conv would be wrong.
/// </summary>
public sealed class Downsample2D : nn.Module<Tensor, Tensor>
{
    private readonly LoraConv2d conv;

    // Typed access for the tiled runner (AutoencoderKL.Tiling), which applies the padding itself.
    internal LoraConv2d Conv => conv;

    /// <summary>Creates the layer.</summary>
    public Downsample2D(long channels)
        : base(nameof(Downsample2D))
    {
        conv = new LoraConv2d(channels, channels, 3, stride: 2, padding: 0);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var padded = nn.functional.pad(input, new long[] { 0, 1, 0, 1 });
        return conv.call(padded);
    }
}
