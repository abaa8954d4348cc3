using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>diffusers' <c>UpDecoderBlock2D</c>: <c>resnets.{j}</c> then an optional <c>upsamplers.0</c>.</summary>
public sealed class UpDecoderBlock2D : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ResnetBlock2D> resnets = new();
    private readonly ModuleList<Upsample2D>? upsamplers;

    // Typed access for the tiled runner (AutoencoderKL.Tiling).
    internal ModuleList<ResnetBlock2D> Resnets => resnets;

    internal Upsample2D? Upsampler => upsamplers?[0];

    /// <summary>Creates the block.</summary>
    public UpDecoderBlock2D(long inChannels, long outChannels, int numLayers, long groups, string actFn, bool addUpsample)
        : base(nameof(UpDecoderBlock2D))
    {
        for (int i = 0; i < numLayers; i++)
        {
            resnets.Add(new ResnetBlock2D(i == 0 ? inChannels : outChannels, outChannels, groups, actFn));
        }

        if (addUpsample)
        {
            upsamplers = new ModuleList<Upsample2D>(new Upsample2D(outChannels));
        }

        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = input;
        foreach (var resnet in resnets)
        {
            h = ActivationChain.Advance(h, resnet.call(h), input);
        }

        if (upsamplers is not null)
        {
            h = ActivationChain.Advance(h, upsamplers[0].call(h), input);
        }

        return (ReferenceEquals(h, input) ? input.alias() : h).MoveToOuterDisposeScope();
    }
}
