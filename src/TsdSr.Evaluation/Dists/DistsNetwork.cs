using TorchSharp;
using TorchSharp.Modules;
using TsdSr.Core.StateDicts;
using TsdSr.Evaluation.Lpips;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Dists;

/// <summary>
/// DISTS as pyiqa's <c>dists</c> computes it: VGG16 features with L2 pooling in place of the max-pools, six feature
/// sets (the raw [0,1] input, then relu1_2 … relu5_3 of the ImageNet-normalised input), per-channel structure and
/// texture similarities weighted by the learned α/β (embedded, MIT). No resize. Differentiable; lower is better.
/// </summary>
/// <remarks>
/// State-dict keys follow pyiqa: <c>stage1.0.weight</c> … <c>stage5.28.bias</c>, <c>stageK.N.filter</c>, <c>alpha</c>,
/// <c>beta</c>, <c>mean</c>, <c>std</c>. <see cref="Create"/> maps torchvision's <c>features.N.*</c> onto the stages.
/// </remarks>
public sealed class DistsNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    private static readonly long[] Channels = [3, 64, 128, 256, 512, 512];

    private readonly Sequential stage1;
    private readonly Sequential stage2;
    private readonly Sequential stage3;
    private readonly Sequential stage4;
    private readonly Sequential stage5;
    private readonly Tensor mean;
    private readonly Tensor std;
    private readonly Parameter alpha;
    private readonly Parameter beta;

    /// <summary>Creates the architecture with uninitialised weights; prefer <see cref="Create"/>.</summary>
    public DistsNetwork()
        : base(nameof(DistsNetwork))
    {
        stage1 = nn.Sequential(("0", nn.Conv2d(3, 64, 3, padding: 1)), ("1", nn.ReLU()), ("2", nn.Conv2d(64, 64, 3, padding: 1)), ("3", nn.ReLU()));
        stage2 = nn.Sequential(("4", new L2Pooling(64)), ("5", nn.Conv2d(64, 128, 3, padding: 1)), ("6", nn.ReLU()), ("7", nn.Conv2d(128, 128, 3, padding: 1)), ("8", nn.ReLU()));
        stage3 = Stage(9, 128, 256);
        stage4 = Stage(16, 256, 512);
        stage5 = Stage(23, 512, 512);
        mean = tensor(new[] { 0.485f, 0.456f, 0.406f }, [1, 3, 1, 1]);
        std = tensor(new[] { 0.229f, 0.224f, 0.225f }, [1, 3, 1, 1]);
        alpha = new Parameter(zeros(1, Channels.Sum(), 1, 1), requires_grad: false);
        beta = new Parameter(zeros(1, Channels.Sum(), 1, 1), requires_grad: false);
        RegisterComponents();
        eval();
    }

    /// <summary>Backbone file name looked up in a weights directory, and its expected format.</summary>
    public static (string FileName, string Format) BackboneFile { get; } = (
        "vgg16.safetensors",
        "torchvision VGG16 ImageNet state dict as safetensors (or a .safetensors.index.json shard index) with keys features.{0,2,5,7,10,12,14,17,19,21,24,26,28}.weight/bias");

    /// <summary>Builds DISTS with the embedded α/β and the VGG16 backbone from <paramref name="backbonePath"/>.</summary>
    /// <exception cref="FileNotFoundException">The backbone file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file lacks or mis-shapes a needed <c>features.*</c> tensor.</exception>
    public static DistsNetwork Create(string backbonePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(backbonePath);
        if (!File.Exists(backbonePath))
        {
            throw new FileNotFoundException($"DISTS backbone weights not found: '{Path.GetFullPath(backbonePath)}'; expected {BackboneFile.Format}.", backbonePath);
        }

        var net = new DistsNetwork();
        try
        {
            net.LoadAlphaBeta();
            try
            {
                WeightLoader.Load(net, backbonePath, new WeightLoadOptions { KeyMap = MapTorchvisionKey, ModuleKeyFilter = IsBackboneKey });
            }
            catch (WeightLoadException e)
            {
                throw new InvalidDataException($"'{backbonePath}' does not match the DISTS VGG16 backbone; expected {BackboneFile.Format}. {e.Message}", e);
            }

            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>DISTS per batch item, shape [N]; inputs [N,3,H,W] in [0,1].</summary>
    public override Tensor forward(Tensor input, Tensor reference)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(reference);
        if (!input.shape.SequenceEqual(reference.shape) || input.dim() != 4 || input.shape[1] != 3)
        {
            throw new ArgumentException($"DISTS needs two [N,3,H,W] tensors of the same shape; got [{string.Join(", ", input.shape)}] and [{string.Join(", ", reference.shape)}].");
        }

        using var scope = NewDisposeScope();
        var f0 = Features(input);
        var f1 = Features(reference);
        var wSum = alpha.sum() + beta.sum();
        var a = (alpha / wSum).split(Channels, 1);
        var b = (beta / wSum).split(Channels, 1);
        const double c1 = 1e-6, c2 = 1e-6;
        Tensor? dist1 = null, dist2 = null;
        for (int k = 0; k < Channels.Length; k++)
        {
            var xm = f0[k].mean([2, 3], keepdim: true);
            var ym = f1[k].mean([2, 3], keepdim: true);
            var s1 = ((2 * xm * ym) + c1) / (xm.square() + ym.square() + c1);
            var d1 = (a[k] * s1).sum(1, keepdim: true);
            var xv = (f0[k] - xm).square().mean([2, 3], keepdim: true);
            var yv = (f1[k] - ym).square().mean([2, 3], keepdim: true);
            var cov = (f0[k] * f1[k]).mean([2, 3], keepdim: true) - (xm * ym);
            var s2 = ((2 * cov) + c2) / (xv + yv + c2);
            var d2 = (b[k] * s2).sum(1, keepdim: true);
            dist1 = dist1 is null ? d1 : dist1 + d1;
            dist2 = dist2 is null ? d2 : dist2 + d2;
        }

        return (1 - (dist1! + dist2!)).flatten().MoveToOuterDisposeScope();
    }

    /// <summary>torchvision <c>features.N.*</c> → <c>stageK.N.*</c>; null for keys DISTS does not use.</summary>
    internal static string? MapTorchvisionKey(string key)
    {
        if (!key.StartsWith("features.", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = key["features.".Length..];
        int dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !int.TryParse(rest[..dot], out int n))
        {
            return null;
        }

        int stage = n switch { < 4 => 1, < 9 => 2, < 16 => 3, < 23 => 4, < 30 => 5, _ => 0 };
        return stage == 0 ? null : $"stage{stage}.{rest}";
    }

    private static bool IsBackboneKey(string key) =>
        key.StartsWith("stage", StringComparison.Ordinal) && !key.EndsWith(".filter", StringComparison.Ordinal);

    private static Sequential Stage(int poolIndex, long inC, long outC)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)> { (poolIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), new L2Pooling(inC)) };
        long c = inC;
        for (int i = 0; i < 3; i++)
        {
            int idx = poolIndex + 1 + (2 * i);
            layers.Add((idx.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.Conv2d(c, outC, 3, padding: 1)));
            layers.Add(((idx + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), nn.ReLU()));
            c = outC;
        }

        return nn.Sequential(layers.ToArray());
    }

    private Tensor[] Features(Tensor x)
    {
        var h = (x - mean) / std;
        var r1 = stage1.forward(h);
        var r2 = stage2.forward(r1);
        var r3 = stage3.forward(r2);
        var r4 = stage4.forward(r3);
        var r5 = stage5.forward(r4);
        return [x, r1, r2, r3, r4, r5];
    }

    private void LoadAlphaBeta()
    {
        var t = EmbeddedTensors.Read("TsdSr.Evaluation.dists_alpha_beta.safetensors");
        using var _ = no_grad();
        foreach (var (name, target) in new[] { ("alpha", (Tensor)alpha), ("beta", beta) })
        {
            var (shape, data) = t[name];
            using var src = tensor(data, shape);
            target.copy_(src);
        }
    }
}
