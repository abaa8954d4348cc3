using TorchSharp.Modules;
using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>
/// diffusers' VAE <c>Encoder</c> (<c>double_z=True</c>): <c>conv_in</c> → <c>down_blocks</c> → <c>mid_block</c> →
/// <c>conv_norm_out</c> → activation → <c>conv_out</c>, producing 2·latent_channels moments (mean ‖ logvar).
/// </summary>
public sealed class VaeEncoder : nn.Module<Tensor, Tensor>
{
    private readonly string actFn;
    private readonly LoraConv2d conv_in;
    private readonly ModuleList<DownEncoderBlock2D> down_blocks = new();
    private readonly UNetMidBlock2D mid_block;
    private readonly GroupNorm conv_norm_out;
    private readonly LoraConv2d conv_out;

    // Typed access for the tiled runner (AutoencoderKL.Tiling), which walks the same layers tile by tile.
    internal LoraConv2d ConvIn => conv_in;

    internal ModuleList<DownEncoderBlock2D> DownBlocks => down_blocks;

    internal UNetMidBlock2D MidBlock => mid_block;

    internal GroupNorm ConvNormOut => conv_norm_out;

    internal LoraConv2d ConvOut => conv_out;

    /// <summary>Creates the encoder for <paramref name="config"/> (validated by the caller).</summary>
    public VaeEncoder(AutoencoderKLConfig config)
        : base(nameof(VaeEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        actFn = config.ActFn;
        var channels = config.BlockOutChannels;
        conv_in = new LoraConv2d(config.InChannels, channels[0], 3, padding: 1);
        long output = channels[0];
        for (int i = 0; i < channels.Count; i++)
        {
            long input = output;
            output = channels[i];
            down_blocks.Add(new DownEncoderBlock2D(input, output, config.LayersPerBlock, config.NormNumGroups, actFn, addDownsample: i < channels.Count - 1));
        }

        mid_block = new UNetMidBlock2D(channels[^1], config.NormNumGroups, actFn, config.MidBlockAddAttention);
        conv_norm_out = VaeGroupNorm.Create(config.NormNumGroups, channels[^1]);
        conv_out = new LoraConv2d(channels[^1], 2L * config.LatentChannels, 3, padding: 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Forward(input, null);

    /// <summary>
    /// Runs the encoder and reports the output of each stage to <paramref name="observe"/> under diffusers' module names
    /// (<c>conv_in</c>, <c>down_blocks.{i}</c>, <c>mid_block</c>, <c>conv_out</c>). An observed tensor is valid only during
    /// its callback (it is freed as soon as the next stage exists); clone any that must be kept.
    /// </summary>
    /// <returns>The raw moments [B, 2·latent_channels, H/f, W/f]; the caller owns them.</returns>
    public Tensor Forward(Tensor input, Action<string, Tensor>? observe)
    {
        using var scope = NewDisposeScope();
        var h = conv_in.call(input);
        observe?.Invoke("conv_in", h);
        for (int i = 0; i < down_blocks.Count; i++)
        {
            h = ActivationChain.Advance(h, down_blocks[i].call(h), input);
            observe?.Invoke($"down_blocks.{i}", h);
        }

        h = ActivationChain.Advance(h, mid_block.call(h), input);
        observe?.Invoke("mid_block", h);
        using (var last = h)
        {
            h = ActivationChain.NormActConv(conv_norm_out, actFn, conv_out, last);
        }

        observe?.Invoke("conv_out", h);
        return h.MoveToOuterDisposeScope();
    }
}
