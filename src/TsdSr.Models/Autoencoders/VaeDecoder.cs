using TorchSharp.Modules;
using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>
/// diffusers' VAE <c>Decoder</c>: <c>conv_in</c> → <c>mid_block</c> → <c>up_blocks</c> (layers_per_block + 1 resnets each,
/// lowest resolution first) → <c>conv_norm_out</c> → activation → <c>conv_out</c>.
/// </summary>
public sealed class VaeDecoder : nn.Module<Tensor, Tensor>
{
    private readonly string actFn;
    private readonly LoraConv2d conv_in;
    private readonly ModuleList<UpDecoderBlock2D> up_blocks = new();
    private readonly UNetMidBlock2D mid_block;
    private readonly GroupNorm conv_norm_out;
    private readonly LoraConv2d conv_out;

    // Typed access for the tiled runner (AutoencoderKL.Tiling), which walks the same layers tile by tile.
    internal LoraConv2d ConvIn => conv_in;

    internal ModuleList<UpDecoderBlock2D> UpBlocks => up_blocks;

    internal UNetMidBlock2D MidBlock => mid_block;

    internal GroupNorm ConvNormOut => conv_norm_out;

    internal LoraConv2d ConvOut => conv_out;

    /// <summary>Creates the decoder for <paramref name="config"/> (validated by the caller).</summary>
    public VaeDecoder(AutoencoderKLConfig config)
        : base(nameof(VaeDecoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        actFn = config.ActFn;
        var reversed = config.BlockOutChannels.Reverse().ToArray();
        conv_in = new LoraConv2d(config.LatentChannels, reversed[0], 3, padding: 1);
        mid_block = new UNetMidBlock2D(reversed[0], config.NormNumGroups, actFn, config.MidBlockAddAttention);
        long output = reversed[0];
        for (int i = 0; i < reversed.Length; i++)
        {
            long input = output;
            output = reversed[i];
            up_blocks.Add(new UpDecoderBlock2D(input, output, config.LayersPerBlock + 1, config.NormNumGroups, actFn, addUpsample: i < reversed.Length - 1));
        }

        conv_norm_out = VaeGroupNorm.Create(config.NormNumGroups, reversed[^1]);
        conv_out = new LoraConv2d(reversed[^1], config.OutChannels, 3, padding: 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Forward(input, null);

    /// <summary>
    /// Runs the decoder and reports the output of each stage to <paramref name="observe"/> under diffusers' module names
    /// (<c>conv_in</c>, <c>mid_block</c>, <c>up_blocks.{i}</c>, <c>conv_out</c>). An observed tensor is valid only during
    /// its callback (it is freed as soon as the next stage exists); clone any that must be kept.
    /// </summary>
    /// <returns>The image [B, out_channels, H·f, W·f]; the caller owns it.</returns>
    public Tensor Forward(Tensor input, Action<string, Tensor>? observe)
    {
        using var scope = NewDisposeScope();
        var h = conv_in.call(input);
        observe?.Invoke("conv_in", h);
        h = ActivationChain.Advance(h, mid_block.call(h), input);
        observe?.Invoke("mid_block", h);
        for (int i = 0; i < up_blocks.Count; i++)
        {
            h = ActivationChain.Advance(h, up_blocks[i].call(h), input);
            observe?.Invoke($"up_blocks.{i}", h);
        }

        using (var last = h)
        {
            h = ActivationChain.NormActConv(conv_norm_out, actFn, conv_out, last);
        }

        observe?.Invoke("conv_out", h);
        return h.MoveToOuterDisposeScope();
    }
}
