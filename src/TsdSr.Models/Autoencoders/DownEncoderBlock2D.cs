using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>diffusers' <c>DownEncoderBlock2D</c>: <c>resnets.{j}</c> then an optional <c>downsamplers.0</c>.</summary>
public sealed class DownEncoderBlock2D : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ResnetBlock2D> resnets = new();
    private readonly ModuleList<Downsample2D>? downsamplers;

    // Typed access for the tiled runner (AutoencoderKL.Tiling).
    internal ModuleList<ResnetBlock2D> Resnets => resnets;

    internal Downsample2D? Downsampler => downsamplers?[0];

    /// <summary>Creates the block.</summary>
    public DownEncoderBlock2D(long inChannels, long outChannels, int numLayers, long groups, string actFn, bool addDownsample)
        : base(nameof(DownEncoderBlock2D))
    {
        for (int i = 0; i < numLayers; i++)
        {
            resnets.Add(new ResnetBlock2D(i == 0 ? inChannels : outChannels, outChannels, groups, actFn));
        }

        if (addDownsample)
        {
            downsamplers = new ModuleList<Downsample2D>(new Downsample2D(outChannels));
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

        if (downsamplers is not null)
        {
            h = ActivationChain.Advance(h, downsamplers[0].call(h), input);
        }

        return (ReferenceEquals(h, input) ? input.alias() : h).MoveToOuterDisposeScope();
    }
}
