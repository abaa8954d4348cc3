using TorchSharp;
using TsdSr.Models.Autoencoders;

namespace TsdSr.Inference.VaeTiling;

/// <summary>
/// Walks the encoder or decoder of an <see cref="AutoencoderKL"/> by module name (diffusers' structure) with tiled
/// convolutions over <see cref="FeatureMap"/>s. Owns every map it creates and disposes them, also on failure.
/// </summary>
internal sealed class TiledVaeRunner : IDisposable
{
    private readonly Dictionary<string, torch.nn.Module> modules;
    private readonly AutoencoderKLConfig config;
    private readonly string part;
    private readonly int baseTile;
    private readonly Action<int, int>? progress;
    private readonly CancellationToken ct;
    private readonly int totalSteps;
    private readonly torch.Device computeDevice;
    private readonly torch.Device storeDevice;
    private readonly FeatureMapStorage storage;
    private readonly List<FeatureMap> maps = [];
    private int steps;

    public TiledVaeRunner(AutoencoderKL vae, string part, int baseTile, torch.Device? storeDevice, FeatureMapStorage? storage, Action<int, int>? progress, CancellationToken ct)
    {
        modules = vae.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        config = vae.Config;
        this.part = part;
        this.baseTile = baseTile;
        computeDevice = vae.parameters().First().device;
        this.storeDevice = storeDevice ?? computeDevice;
        this.storage = storage ?? new FeatureMapStorage();
        this.storage.Validate();
        this.progress = progress;
        this.ct = ct;
        int levels = config.BlockOutChannels.Count;
        int perLevel = part == "encoder" ? config.LayersPerBlock + 1 : config.LayersPerBlock + 2;
        totalSteps = 1 + (levels * perLevel) - 1 + 3 + 1;
    }

    public torch.Tensor Encode(torch.Tensor images)
    {
        int factor = 1;
        using var input = ToDtype(images);
        var x = Step(ConvLayer(Track(TensorFeatureMap.Wrap(input)), "encoder.conv_in", null, ConvKind.Same, Tile(factor)));
        for (int i = 0; i < config.BlockOutChannels.Count; i++)
        {
            for (int j = 0; j < config.LayersPerBlock; j++)
            {
                x = Replace(x, Resnet(x, $"encoder.down_blocks.{i}.resnets.{j}", Tile(factor)));
            }

            if (modules.ContainsKey($"encoder.down_blocks.{i}.downsamplers.0.conv"))
            {
                factor *= 2;
                x = Replace(x, ConvLayer(x, $"encoder.down_blocks.{i}.downsamplers.0.conv", null, ConvKind.Down, Tile(factor)));
            }
        }

        x = MidBlock(x, "encoder.mid_block", Tile(factor));
        x = Replace(x, ConvLayer(x, "encoder.conv_out", Norm(x, "encoder.conv_norm_out"), ConvKind.Same, Tile(factor)));
        if (modules.TryGetValue("quant_conv", out var quant))
        {
            x = Replace(x, Whole(x, quant));
        }

        return Result(x);
    }

    public torch.Tensor Decode(torch.Tensor latents)
    {
        int factor = 1;
        using var z = ToDtype(latents);
        var x = Track(TensorFeatureMap.Wrap(z));
        if (modules.TryGetValue("post_quant_conv", out var postQuant))
        {
            x = Swap(x, Whole(x, postQuant));
        }

        x = Replace(x, ConvLayer(x, "decoder.conv_in", null, ConvKind.Same, Tile(factor)));
        x = MidBlock(x, "decoder.mid_block", Tile(factor));
        for (int i = 0; i < config.BlockOutChannels.Count; i++)
        {
            for (int j = 0; j <= config.LayersPerBlock; j++)
            {
                x = Replace(x, Resnet(x, $"decoder.up_blocks.{i}.resnets.{j}", Tile(factor)));
            }

            if (modules.ContainsKey($"decoder.up_blocks.{i}.upsamplers.0.conv"))
            {
                factor *= 2;
                x = Replace(x, ConvLayer(x, $"decoder.up_blocks.{i}.upsamplers.0.conv", null, ConvKind.Up, Tile(factor)));
            }
        }

        x = Replace(x, ConvLayer(x, "decoder.conv_out", Norm(x, "decoder.conv_norm_out"), ConvKind.Same, Tile(factor)));
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

    private int Tile(int factor) => part == "encoder" ? Math.Max(8, baseTile / factor) : baseTile * factor;

    private torch.Tensor ToDtype(torch.Tensor x)
    {
        var dtype = modules[$"{part}.conv_in"].parameters().First().dtype;
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
    private FeatureMap Whole(FeatureMap x, torch.nn.Module module)
    {
        ct.ThrowIfCancellationRequested();
        using var scope = torch.NewDisposeScope();
        var result = Call(module, x.ReadAll().to(computeDevice));
        var map = Track(storage.Create(result.shape[1], result.shape[2], result.shape[3], result.dtype, storeDevice));
        map.Write(0, 0, result);
        return map;
    }

    private FeatureMap MidBlock(FeatureMap x, string prefix, int tile)
    {
        x = Replace(x, Resnet(x, prefix + ".resnets.0", tile));
        // Global attention over the whole downsampled map: exact; tiling it would change the result.
        x = modules.TryGetValue(prefix + ".attentions.0", out var attention) ? Replace(x, Whole(x, attention)) : Step(x);
        return Replace(x, Resnet(x, prefix + ".resnets.1", tile));
    }

    private FeatureMap Resnet(FeatureMap x, string prefix, int tile)
    {
        var hidden = ConvLayer(x, prefix + ".conv1", Norm(x, prefix + ".norm1"), ConvKind.Same, tile);
        try
        {
            // Without a shortcut conv the output overwrites the input map tile by tile (each tile reads only its own
            // core of x, for the residual), so a resnet holds two full maps, not three.
            bool hasShortcut = modules.TryGetValue(prefix + ".conv_shortcut", out var shortcut);
            return ConvLayer(hidden, prefix + ".conv2", Norm(hidden, prefix + ".norm2"), ConvKind.Same, tile, x, shortcut ?? Identity.Instance, inPlace: !hasShortcut);
        }
        finally
        {
            maps.Remove(hidden);
            hidden.Dispose();
        }
    }

    private NormPrologue Norm(FeatureMap x, string name)
    {
        var gn = modules[name];
        var p = gn.named_parameters().ToDictionary(n => n.name, n => n.parameter, StringComparer.Ordinal);
        var (mean, rstd) = x.Moments.GroupStatistics(config.NormNumGroups, ResnetBlock2D.Eps, x.Dtype, computeDevice);
        return new NormPrologue(mean, rstd, p["weight"].reshape(1, x.Channels, 1, 1), p["bias"].reshape(1, x.Channels, 1, 1), config.ActFn);
    }

    /// <summary>
    /// One convolution layer over the whole map, tile by tile: optional norm + activation on the window, the layer's
    /// own conv, the window's core written out; optionally plus the residual (through a 1×1 shortcut) of the core.
    /// </summary>
    private FeatureMap ConvLayer(FeatureMap x, string convName, NormPrologue? norm, ConvKind kind, int tile,
        FeatureMap? residual = null, torch.nn.Module? shortcut = null, bool inPlace = false)
    {
        var conv = modules[convName];
        using var normScope = norm;
        long kernel = conv.named_parameters().First(p => p.name == "weight").parameter.shape[^1];
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
                        y = Call(conv, upsampled);
                    }
                    else
                    {
                        y = Call(conv, window);
                        window.Dispose();
                    }

                    var core = y.narrow(2, offY, th).narrow(3, offX, tw);
                    if (residual is not null)
                    {
                        var res = residual.Read(oy, th, ox, tw).to(computeDevice);
                        core = Call(shortcut!, res).add(core);
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

    private static torch.Tensor Call(torch.nn.Module module, torch.Tensor x) =>
        module is torch.nn.Module<torch.Tensor, torch.Tensor> m
            ? m.call(x)
            : throw new InvalidOperationException($"VAE module {module.GetName()} is not a tensor-to-tensor module.");

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
