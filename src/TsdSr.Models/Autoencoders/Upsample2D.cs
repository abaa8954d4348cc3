using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>diffusers' <c>Upsample2D</c> (decoder): nearest-neighbour ×2, then a 3×3 conv with padding 1.</summary>
public sealed class Upsample2D : nn.Module<Tensor, Tensor>
{
    private readonly LoraConv2d conv;

    // Typed access for the tiled runner (AutoencoderKL.Tiling), which applies the interpolation itself.
    internal LoraConv2d Conv => conv;

    /// <summary>Creates the layer.</summary>
    public Upsample2D(long channels)
        : base(nameof(Upsample2D))
    {
        conv = new LoraConv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var up = nn.functional.interpolate(input, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest);
        return conv.call(up);
    }
}
