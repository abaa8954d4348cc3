using TorchSharp;
using TorchSharp.Modules;
using TsdSr.Models.Lora;

namespace TsdSr.Models.Autoencoders.Tiling;

/// <summary>
/// Walks the encoder or decoder of an <see cref="AutoencoderKL"/> through its typed blocks (diffusers' structure) with
/// tiled convolutions over <see cref="FeatureMap"/>s. Owns every map it creates and disposes them, also on failure.
/// </summary>
internal sealed class TiledVaeRunner : IDisposable
{
    private readonly AutoencoderKL vae;
    private readonly AutoencoderKLConfig config;
    private readonly bool encoding;
    private readonly int baseTile;
    private readonly Action<int, int>? progress;
    private readonly CancellationToken ct;
    private readonly int totalSteps;
    private readonly torch.Device computeDevice;
    private readonly torch.Device storeDevice;
    private readonly FeatureMapStorage storage;
    private readonly List<FeatureMap> maps = [];
    private int steps;

    public TiledVaeRunner(AutoencoderKL vae, bool encoding, int baseTile, torch.Device? storeDevice, FeatureMapStorage? storage, Action<int, int>? progress, CancellationToken ct)
    {
        this.vae = vae;
        config = vae.Config;
        this.encoding = encoding;
        this.baseTile = baseTile;
        computeDevice = vae.parameters().First().device;
        this.storeDevice = storeDevice ?? computeDevice;
        this.storage = storage ?? new FeatureMapStorage();
        this.storage.Validate();
        this.progress = progress;
        this.ct = ct;
        int levels = config.BlockOutChannels.Count;
        int perLevel = encoding ? config.LayersPerBlock + 1 : config.LayersPerBlock + 2;
        totalSteps = 1 + (levels * perLevel) - 1 + 3 + 1;
    }

    public torch.Tensor Encode(torch.Tensor images)
    {
        int factor = 1;
        using var input = ToDtype(images);
        var encoder = vae.Encoder;
        var x = Step(ConvLayer(Track(TensorFeatureMap.Wrap(input)), encoder.ConvIn, null, ConvKind.Same, Tile(factor)));
        foreach (var block in encoder.DownBlocks)
        {
            foreach (var resnet in block.Resnets)
            {
                x = Replace(x, Resnet(x, resnet, Tile(factor)));
            }

            if (block.Downsampler is { } downsampler)
            {
                factor *= 2;
                x = Replace(x, ConvLayer(x, downsampler.Conv, null, ConvKind.Down, Tile(factor)));
            }
        }

        x = MidBlock(x, encoder.MidBlock, Tile(factor));
        x = Replace(x, ConvLayer(x, encoder.ConvOut, Norm(x, encoder.ConvNormOut), ConvKind.Same, Tile(factor)));
        if (vae.QuantConv is { } quant)
        {
            x = Replace(x, Whole(x, quant));
        }

        return Result(x);
    }

    public torch.Tensor Decode(torch.Tensor latents)
    {
        int factor = 1;
        using var z = ToDtype(latents);
        var decoder = vae.Decoder;
        var x = Track(TensorFeatureMap.Wrap(z));
        if (vae.PostQuantConv is { } postQuant)
        {
            x = Swap(x, Whole(x, postQuant));
        }

        x = Replace(x, ConvLayer(x, decoder.ConvIn, null, ConvKind.Same, Tile(factor)));
        x = MidBlock(x, decoder.MidBlock, Tile(factor));
        foreach (var block in decoder.UpBlocks)
        {
            foreach (var resnet in block.Resnets)
            {
                x = Replace(x, Resnet(x, resnet, Tile(factor)));
            }

            if (block.Upsampler is { } upsampler)
            {
                factor *= 2;
                x = Replace(x, ConvLayer(x, upsampler.Conv, null, ConvKind.Up, Tile(factor)));
            }
        }

        x = Replace(x, ConvLayer(x, decoder.ConvOut, Norm(x, decoder.ConvNormOut), ConvKind.Same, Tile(factor)));
        return Result(x);
    }

    public void Dispose()
    {
        foreach (var map in maps)
        {
            map.Dispose();
        }

        maps.Clear();
    }

    private int Tile(int factor) => encoding ? Math.Max(8, baseTile / factor) : baseTile * factor;

    private torch.Tensor ToDtype(torch.Tensor x)
    {
        var dtype = (encoding ? vae.Encoder.ConvIn : vae.Decoder.ConvIn).Weight.dtype;
        return x.dtype == dtype ? x.alias() : x.to(dtype);
    }

    private FeatureMap Track(FeatureMap map)
    {
        maps.Add(map);
        return map;
    }

    private torch.Tensor Result(FeatureMap x)
    {
        // The window keeps the map's storage alive after the map's own handle is disposed: no copy needed.
        using var scope = torch.NewDisposeScope();
        return x.ReadAll().to(computeDevice).MoveToOuterDisposeScope();
    }

    private FeatureMap Step(FeatureMap result)
    {
        steps++;
        progress?.Invoke(Math.Min(steps, totalSteps), totalSteps);
        return result;
    }

    private FeatureMap Replace(FeatureMap old, FeatureMap next) => Step(Swap(old, next));

    // Disposes the previous full map as soon as its successor exists: full maps dominate memory.
    private FeatureMap Swap(FeatureMap old, FeatureMap next)
    {
        if (!ReferenceEquals(old, next))
        {
            maps.Remove(old);
            old.Dispose();
        }

        return next;
    }

    // A module over the whole map (post/quant conv on the latent, the global mid-block attention), into a new map.
    private FeatureMap Whole(FeatureMap x, torch.nn.Module<torch.Tensor, torch.Tensor> module)
    {
        ct.ThrowIfCancellationRequested();
        using var scope = torch.NewDisposeScope();
        var result = module.call(x.ReadAll().to(computeDevice));
        var map = Track(storage.Create(result.shape[1], result.shape[2], result.shape[3], result.dtype, storeDevice));
        map.Write(0, 0, result);
        return map;
    }

    private FeatureMap MidBlock(FeatureMap x, UNetMidBlock2D block, int tile)
    {
        x = Replace(x, Resnet(x, block.Resnets[0], tile));
        // Global attention over the whole downsampled map: exact; tiling it would change the result.
        x = block.Attention is { } attention ? Replace(x, Whole(x, attention)) : Step(x);
        return Replace(x, Resnet(x, block.Resnets[1], tile));
    }

    private FeatureMap Resnet(FeatureMap x, ResnetBlock2D resnet, int tile)
    {
        var hidden = ConvLayer(x, resnet.Conv1, Norm(x, resnet.Norm1), ConvKind.Same, tile);
        try
        {
            // Without a shortcut conv the output overwrites the input map tile by tile (each tile reads only its own
            // core of x, for the residual), so a resnet holds two full maps, not three.
            var shortcut = resnet.ConvShortcut;
            return ConvLayer(hidden, resnet.Conv2, Norm(hidden, resnet.Norm2), ConvKind.Same, tile, x, shortcut ?? (torch.nn.Module<torch.Tensor, torch.Tensor>)Identity.Instance, inPlace: shortcut is null);
        }
        finally
        {
            maps.Remove(hidden);
            hidden.Dispose();
        }
    }

    private NormPrologue Norm(FeatureMap x, GroupNorm gn)
    {
        var (mean, rstd) = x.Moments.GroupStatistics(config.NormNumGroups, ResnetBlock2D.Eps, x.Dtype, computeDevice);
        return new NormPrologue(mean, rstd, gn.weight!.reshape(1, x.Channels, 1, 1), gn.bias!.reshape(1, x.Channels, 1, 1), config.ActFn);
    }

    /// <summary>
    /// One convolution layer over the whole map, tile by tile: optional norm + activation on the window, the layer's
    /// own conv, the window's core written out; optionally plus the residual (through a 1×1 shortcut) of the core.
    /// </summary>
    private FeatureMap ConvLayer(FeatureMap x, LoraConv2d conv, NormPrologue? norm, ConvKind kind, int tile,
        FeatureMap? residual = null, torch.nn.Module<torch.Tensor, torch.Tensor>? shortcut = null, bool inPlace = false)
    {
        using var normScope = norm;
        long kernel = conv.KernelSize;
        long halo = (kernel - 1) / 2;
        long h = x.Height, w = x.Width;
        long outH = kind switch { ConvKind.Down => ((h - 2) / 2) + 1, ConvKind.Up => 2 * h, _ => h };
        long outW = kind switch { ConvKind.Down => ((w - 2) / 2) + 1, ConvKind.Up => 2 * w, _ => w };
        FeatureMap? output = inPlace ? residual : null;
        output?.BeginOverwrite();
        try
        {
            for (long oy = 0; oy < outH; oy += tile)
            {
                for (long ox = 0; ox < outW; ox += tile)
                {
                    ct.ThrowIfCancellationRequested();
                    using var scope = torch.NewDisposeScope();
                    long th = Math.Min(tile, outH - oy), tw = Math.Min(tile, outW - ox);
                    // Each full-window temporary is released as soon as the next exists: at the top decoder level a
                    // window is hundreds of MiB, and the tile's scope would otherwise hold all of them until its end.
                    var (raw, offY, offX) = Window(x, kind, halo, oy, ox, th, tw);
                    var window = raw.to(computeDevice);
                    if (norm is not null)
                    {
                        var normalised = norm.Apply(window);
                        window.Dispose();
                        window = normalised;
                    }

                    raw.Dispose();
                    torch.Tensor y;
                    if (kind == ConvKind.Up)
                    {
                        using var upsampled = torch.nn.functional.interpolate(window, scale_factor: new[] { 2.0, 2.0 }, mode: torch.InterpolationMode.Nearest);
                        window.Dispose();
                        y = conv.call(upsampled);
                    }
                    else
                    {
                        y = conv.call(window);
                        window.Dispose();
                    }

                    var core = y.narrow(2, offY, th).narrow(3, offX, tw);
                    if (residual is not null)
                    {
                        var res = residual.Read(oy, th, ox, tw).to(computeDevice);
                        core = shortcut!.call(res).add(core);
                    }

                    output ??= Track(storage.Create(core.shape[1], outH, outW, core.dtype, storeDevice));
                    output.Write(oy, ox, core);
                }
            }

            return output!;
        }
        catch
        {
            if (!inPlace && output is not null)
            {
                maps.Remove(output);
                output.Dispose();
            }

            throw;
        }
    }

    /// <summary>The input window whose conv output contains the exact output tile, and the tile's offset in that output.</summary>
    private static (torch.Tensor Window, long OffY, long OffX) Window(FeatureMap x, ConvKind kind, long halo, long oy, long ox, long th, long tw)
    {
        long h = x.Height, w = x.Width;
        switch (kind)
        {
            case ConvKind.Down:
            {
                // Output row i reads input rows 2i..2i+2 of the map padded by one zero row/column at the bottom/right.
                long y0 = 2 * oy, y1 = (2 * (oy + th)) + 1, x0 = 2 * ox, x1 = (2 * (ox + tw)) + 1;
                var win = x.Read(y0, Math.Min(y1, h) - y0, x0, Math.Min(x1, w) - x0);
                win = torch.nn.functional.pad(win, new[] { 0L, Math.Max(0, x1 - w), 0L, Math.Max(0, y1 - h) });
                return (win, 0, 0);
            }

            case ConvKind.Up:
            {
                // One low-resolution pixel of halo is two after the nearest ×2, enough for the 3×3 conv.
                long y0 = Math.Max(0, (oy / 2) - 1), y1 = Math.Min(h, ((oy + th + 1) / 2) + 1);
                long x0 = Math.Max(0, (ox / 2) - 1), x1 = Math.Min(w, ((ox + tw + 1) / 2) + 1);
                return (x.Read(y0, y1 - y0, x0, x1 - x0), oy - (2 * y0), ox - (2 * x0));
            }

            default:
            {
                long y0 = Math.Max(0, oy - halo), y1 = Math.Min(h, oy + th + halo);
                long x0 = Math.Max(0, ox - halo), x1 = Math.Min(w, ox + tw + halo);
                return (x.Read(y0, y1 - y0, x0, x1 - x0), oy - y0, ox - x0);
            }
        }
    }

    private enum ConvKind
    {
        Same,
        Down,
        Up,
    }

    /// <summary>An identity shortcut (the resnet's channel count is unchanged).</summary>
    private sealed class Identity : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        public static readonly Identity Instance = new();

        private Identity()
            : base(nameof(Identity))
        {
        }

        public override torch.Tensor forward(torch.Tensor input) => input.alias();
    }

    /// <summary>GroupNorm with fixed global statistics, affine, then the activation; pointwise, so it commutes with cropping.</summary>
    private sealed class NormPrologue(torch.Tensor mean, torch.Tensor rstd, torch.Tensor weight, torch.Tensor bias, string actFn) : IDisposable
    {
        // A new tensor (the window may be a view of a stored map), then in place: one window-sized temporary, not five.
        public torch.Tensor Apply(torch.Tensor window)
        {
            var y = window.sub(mean);
            y.mul_(rstd).mul_(weight).add_(bias);
            switch (actFn)
            {
                case "silu" or "swish":
                    return torch.nn.functional.silu(y, inplace: true);
                case "relu":
                    return torch.nn.functional.relu(y, inplace: true);
                case "mish" or "gelu":
                    using (y)
                    {
                        return actFn == "mish" ? torch.nn.functional.mish(y) : torch.nn.functional.gelu(y);
                    }

                default:
                    y.Dispose();
                    throw new ArgumentException($"Unsupported activation '{actFn}'.");
            }
        }

        public void Dispose()
        {
            mean.Dispose();
            rstd.Dispose();
            weight.Dispose();
            bias.Dispose();
        }
    }
}
