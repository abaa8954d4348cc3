using TorchSharp;
using TsdSr.Core.StateDicts;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Fid;

/// <summary>
/// pytorch-fid's FID-Inception (the TensorFlow 2015-12-05 graph ported to torchvision's Inception v3 layout, with the
/// FIDInceptionA/C/E_1/E_2 blocks), up to the 2048-d global average pool. Field names are torchvision's, so
/// <c>pt_inception-2015-12-05-6726825d.pth</c> converted to safetensors loads without renaming (its <c>fc.*</c> is
/// ignored). Input: [N,3,299,299] already scaled to [−1,1] (pyiqa's clean mode: <c>(x − 128) / 128</c>).
/// </summary>
public sealed class FidInception : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names mirror torchvision's Inception state-dict keys.
    private readonly BasicConv2d Conv2d_1a_3x3;
    private readonly BasicConv2d Conv2d_2a_3x3;
    private readonly BasicConv2d Conv2d_2b_3x3;
    private readonly BasicConv2d Conv2d_3b_1x1;
    private readonly BasicConv2d Conv2d_4a_3x3;
    private readonly FidInceptionA Mixed_5b;
    private readonly FidInceptionA Mixed_5c;
    private readonly FidInceptionA Mixed_5d;
    private readonly InceptionB Mixed_6a;
    private readonly FidInceptionC Mixed_6b;
    private readonly FidInceptionC Mixed_6c;
    private readonly FidInceptionC Mixed_6d;
    private readonly FidInceptionC Mixed_6e;
    private readonly InceptionD Mixed_7a;
    private readonly FidInceptionE Mixed_7b;
    private readonly FidInceptionE Mixed_7c;
#pragma warning restore IDE1006

    /// <summary>Creates the architecture with uninitialised weights; prefer <see cref="Create"/>.</summary>
    public FidInception()
        : base(nameof(FidInception))
    {
        Conv2d_1a_3x3 = new BasicConv2d(3, 32, 3, stride: 2);
        Conv2d_2a_3x3 = new BasicConv2d(32, 32, 3);
        Conv2d_2b_3x3 = new BasicConv2d(32, 64, 3, padding: 1);
        Conv2d_3b_1x1 = new BasicConv2d(64, 80, 1);
        Conv2d_4a_3x3 = new BasicConv2d(80, 192, 3);
        Mixed_5b = new FidInceptionA(192, 32);
        Mixed_5c = new FidInceptionA(256, 64);
        Mixed_5d = new FidInceptionA(288, 64);
        Mixed_6a = new InceptionB(288);
        Mixed_6b = new FidInceptionC(768, 128);
        Mixed_6c = new FidInceptionC(768, 160);
        Mixed_6d = new FidInceptionC(768, 160);
        Mixed_6e = new FidInceptionC(768, 192);
        Mixed_7a = new InceptionD(768);
        Mixed_7b = new FidInceptionE(1280, maxPool: false);
        Mixed_7c = new FidInceptionE(2048, maxPool: true);
        RegisterComponents();
        eval();
    }

    /// <summary>Weight file name looked up in a weights directory, and its expected format.</summary>
    public static (string FileName, string Format) WeightsFile { get; } = (
        "pt_inception-2015-12-05.safetensors",
        "pytorch-fid FID-Inception weights (pt_inception-2015-12-05-6726825d.pth) as safetensors with torchvision Inception v3 keys (Conv2d_1a_3x3.conv.weight, Mixed_5b.branch1x1.bn.running_mean, …)");

    /// <summary>Builds the network from a safetensors file (or shard index) of the pytorch-fid weights.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A tensor is missing or mis-shaped.</exception>
    public static FidInception Create(string weightsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(weightsPath);
        if (!File.Exists(weightsPath))
        {
            throw new FileNotFoundException($"FID-Inception weights not found: '{Path.GetFullPath(weightsPath)}'; expected {WeightsFile.Format}.", weightsPath);
        }

        var net = new FidInception();
        try
        {
            WeightLoader.Load(net, weightsPath, new WeightLoadOptions
            {
                // The classifier and BatchNorm step counters are not used for features.
                KeyMap = k => k.StartsWith("fc.", StringComparison.Ordinal) || k.StartsWith("AuxLogits.", StringComparison.Ordinal) ? null : k,
                ModuleKeyFilter = k => !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal),
            });
            return net;
        }
        catch (WeightLoadException e)
        {
            net.Dispose();
            throw new InvalidDataException($"'{weightsPath}' does not match the FID-Inception network; expected {WeightsFile.Format}. {e.Message}", e);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>Pool3 features [N, 2048] of inputs [N,3,H,W] in [−1,1] (299×299 in pyiqa).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = Conv2d_2b_3x3.forward(Conv2d_2a_3x3.forward(Conv2d_1a_3x3.forward(input)));
        x = nn.functional.max_pool2d(x, 3, 2);
        x = Conv2d_4a_3x3.forward(Conv2d_3b_1x1.forward(x));
        x = nn.functional.max_pool2d(x, 3, 2);
        x = Mixed_5d.forward(Mixed_5c.forward(Mixed_5b.forward(x)));
        x = Mixed_6a.forward(x);
        x = Mixed_6e.forward(Mixed_6d.forward(Mixed_6c.forward(Mixed_6b.forward(x))));
        x = Mixed_7c.forward(Mixed_7b.forward(Mixed_7a.forward(x)));
        return x.mean([2, 3]).MoveToOuterDisposeScope();
    }
}
