using TorchSharp;
using TorchSharp.Modules;
using TsdSr.Core.StateDicts;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Lpips;

/// <summary>
/// LPIPS v0.1 exactly as the official <c>lpips</c> package (and pyiqa) computes it: inputs in [0,1] → 2x − 1 →
/// scaling layer → torchvision backbone taps → per-pixel channel L2 normalisation → squared difference → linear
/// head → spatial mean → sum over the five taps. Differentiable end to end, so it doubles as a training loss.
/// </summary>
/// <remarks>
/// State-dict keys: <c>features.N.weight/bias</c> (torchvision layout, user-supplied), <c>lin0…lin4.model.1.weight</c>
/// and <c>scaling_layer.shift/scale</c> (embedded, BSD-2-Clause; loaded by <see cref="Create"/>).
/// </remarks>
public sealed class LpipsNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    private static readonly int[] AlexTaps = [1, 4, 7, 9, 11];
    private static readonly int[] VggTaps = [3, 8, 15, 22, 29];

    private readonly LpipsScalingLayer scaling_layer;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> features;
    private readonly LpipsHead lin0;
    private readonly LpipsHead lin1;
    private readonly LpipsHead lin2;
    private readonly LpipsHead lin3;
    private readonly LpipsHead lin4;
    private readonly int[] taps;

    /// <summary>Creates the architecture with uninitialised weights; prefer <see cref="Create"/>.</summary>
    public LpipsNetwork(LpipsBackbone backbone)
        : base(nameof(LpipsNetwork))
    {
        Backbone = backbone;
        long[] channels;
        if (backbone == LpipsBackbone.Alex)
        {
            features = nn.ModuleList<nn.Module<Tensor, Tensor>>(
                nn.Conv2d(3, 64, 11, stride: 4, padding: 2), nn.ReLU(), nn.MaxPool2d(3, 2),
                nn.Conv2d(64, 192, 5, padding: 2), nn.ReLU(), nn.MaxPool2d(3, 2),
                nn.Conv2d(192, 384, 3, padding: 1), nn.ReLU(),
                nn.Conv2d(384, 256, 3, padding: 1), nn.ReLU(),
                nn.Conv2d(256, 256, 3, padding: 1), nn.ReLU());
            channels = [64, 192, 384, 256, 256];
            taps = AlexTaps;
        }
        else
        {
            var layers = new List<nn.Module<Tensor, Tensor>>();
            long inC = 3;
            foreach (var v in new[] { 64, 64, -1, 128, 128, -1, 256, 256, 256, -1, 512, 512, 512, -1, 512, 512, 512 })
            {
                if (v < 0)
                {
                    layers.Add(nn.MaxPool2d(2, 2));
                    continue;
                }

                layers.Add(nn.Conv2d(inC, v, 3, padding: 1));
                layers.Add(nn.ReLU());
                inC = v;
            }

            features = nn.ModuleList(layers.ToArray());
            channels = [64, 128, 256, 512, 512];
            taps = VggTaps;
        }

        scaling_layer = new LpipsScalingLayer();
        lin0 = new LpipsHead(channels[0]);
        lin1 = new LpipsHead(channels[1]);
        lin2 = new LpipsHead(channels[2]);
        lin3 = new LpipsHead(channels[3]);
        lin4 = new LpipsHead(channels[4]);
        RegisterComponents();
        eval();
    }

    /// <summary>The backbone architecture.</summary>
    public LpipsBackbone Backbone { get; }

    /// <summary>The backbone file name looked up in a weights directory, and its expected format.</summary>
    public static (string FileName, string Format) BackboneFile(LpipsBackbone backbone) => backbone == LpipsBackbone.Alex
        ? ("alexnet.safetensors", "torchvision AlexNet ImageNet state dict as safetensors (or a .safetensors.index.json shard index) with keys features.{0,3,6,8,10}.weight/bias")
        : ("vgg16.safetensors", "torchvision VGG16 ImageNet state dict as safetensors (or a .safetensors.index.json shard index) with keys features.{0,2,5,…,28}.weight/bias");

    /// <summary>
    /// Builds the network with the embedded v0.1 heads and scaling constants and the backbone from
    /// <paramref name="backbonePath"/> (a torchvision-format safetensors file or shard index; other keys such as
    /// <c>classifier.*</c> are ignored).
    /// </summary>
    /// <exception cref="FileNotFoundException">The backbone file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file lacks or mis-shapes a <c>features.*</c> tensor.</exception>
    public static LpipsNetwork Create(LpipsBackbone backbone, string backbonePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(backbonePath);
        if (!File.Exists(backbonePath))
        {
            throw new FileNotFoundException($"LPIPS backbone weights not found: '{Path.GetFullPath(backbonePath)}'; expected {BackboneFile(backbone).Format}.", backbonePath);
        }

        var net = new LpipsNetwork(backbone);
        try
        {
            net.LoadEmbeddedConstants();
            try
            {
                WeightLoader.Load(net, backbonePath, new WeightLoadOptions
                {
                    KeyMap = k => k.StartsWith("features.", StringComparison.Ordinal) ? k : null,
                    ModuleKeyFilter = k => k.StartsWith("features.", StringComparison.Ordinal),
                });
            }
            catch (WeightLoadException e)
            {
                throw new InvalidDataException($"'{backbonePath}' does not match the LPIPS {backbone} backbone; expected {BackboneFile(backbone).Format}. {e.Message}", e);
            }

            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>LPIPS distance per batch item, shape [N]; inputs [N,3,H,W] in [0,1].</summary>
    public override Tensor forward(Tensor input, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var layers = ForwardLayers(input, reference);
        var total = layers[0];
        for (int i = 1; i < layers.Length; i++)
        {
            total = total + layers[i];
        }

        return total.flatten().MoveToOuterDisposeScope();
    }

    /// <summary>The five per-tap terms, each [N,1,1,1] (their sum is LPIPS); inputs [N,3,H,W] in [0,1].</summary>
    public Tensor[] ForwardLayers(Tensor input, Tensor reference)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(reference);
        if (!input.shape.SequenceEqual(reference.shape) || input.dim() != 4 || input.shape[1] != 3)
        {
            throw new ArgumentException($"LPIPS needs two [N,3,H,W] tensors of the same shape; got [{string.Join(", ", input.shape)}] and [{string.Join(", ", reference.shape)}].");
        }

        using var scope = NewDisposeScope();
        var f0 = Taps(scaling_layer.forward((input * 2) - 1));
        var f1 = Taps(scaling_layer.forward((reference * 2) - 1));
        var heads = new[] { lin0, lin1, lin2, lin3, lin4 };
        var result = new Tensor[heads.Length];
        for (int k = 0; k < heads.Length; k++)
        {
            var d = (Normalize(f0[k]) - Normalize(f1[k])).square();
            result[k] = heads[k].forward(d).mean([2, 3], keepdim: true).MoveToOuterDisposeScope();
        }

        return result;
    }

    private static Tensor Normalize(Tensor f) => f / (f.square().sum(1, keepdim: true).sqrt() + 1e-10);

    private List<Tensor> Taps(Tensor x)
    {
        var outs = new List<Tensor>(taps.Length);
        int last = taps[^1];
        for (int i = 0; i <= last; i++)
        {
            x = features[i].forward(x);
            if (Array.IndexOf(taps, i) >= 0)
            {
                outs.Add(x);
            }
        }

        return outs;
    }

    private void LoadEmbeddedConstants()
    {
        var heads = EmbeddedTensors.Read(Backbone == LpipsBackbone.Alex
            ? "TsdSr.Evaluation.lpips_v0.1_alex.safetensors"
            : "TsdSr.Evaluation.lpips_v0.1_vgg.safetensors");
        var scaling = EmbeddedTensors.Read("TsdSr.Evaluation.lpips_scaling_layer.safetensors");
        var state = state_dict();
        using var _ = no_grad();
        foreach (var (key, value) in heads.Concat(scaling))
        {
            if (!state.TryGetValue(key, out var target) || !target.shape.SequenceEqual(value.Shape))
            {
                throw new InvalidDataException($"Embedded LPIPS tensor '{key}' [{string.Join(", ", value.Shape)}] does not fit the {Backbone} network.");
            }

            using var t = tensor(value.Data, value.Shape);
            target.copy_(t);
        }
    }
}
