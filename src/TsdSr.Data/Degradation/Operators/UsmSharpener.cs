using TorchSharp;

namespace TsdSr.Data.Degradation.Operators;

/// <summary>
/// Unsharp masking of the ground truth (BasicSR <c>USMSharp</c>): Gaussian 51×51 with σ = 8 (OpenCV's rule for
/// σ = 0: 0.3·((k − 1)/2 − 1) + 0.8), weight 0.5, threshold 10/255, the sharpened image blended by a blurred mask.
/// </summary>
public static class UsmSharpener
{
    /// <summary>Kernel size (BasicSR radius 50 made odd).</summary>
    public const int KernelSize = 51;

    /// <summary>σ of the blur, from OpenCV's getGaussianKernel rule for σ = 0.</summary>
    public static double Sigma => (0.3 * (((KernelSize - 1) * 0.5) - 1)) + 0.8;

    /// <summary>The normalised 1-D Gaussian; the 2-D kernel is its outer product.</summary>
    public static double[] Kernel1D()
    {
        var k = new double[KernelSize];
        double c = (KernelSize - 1) / 2.0, s2 = 2 * Sigma * Sigma;
        for (int i = 0; i < KernelSize; i++)
        {
            k[i] = Math.Exp(-((i - c) * (i - c)) / s2);
        }

        double sum = k.Sum();
        return k.Select(v => v / sum).ToArray();
    }

    /// <summary>Sharpens [B, 3, H, W] in [0, 1]; returns a new tensor.</summary>
    public static torch.Tensor Apply(torch.Tensor image, double weight = 0.5, double threshold = 10)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var scope = torch.NewDisposeScope();
        var blur = Blur(image);
        var residual = image - blur;
        var mask = residual.abs().mul(255f).gt(threshold).to(image.dtype);
        var soft = Blur(mask);
        var sharp = (image + (residual * weight)).clamp_(0f, 1f);
        var result = (soft * sharp) + ((1 - soft) * image);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The 51×51 Gaussian as two 1-D passes with reflect padding (identical to the 2-D filter, far cheaper).</summary>
    internal static torch.Tensor Blur(torch.Tensor image)
    {
        using var scope = torch.NewDisposeScope();
        long c = image.shape[1], h = image.shape[2], w = image.shape[3];
        int pad = KernelSize / 2;
        var mode = pad < h && pad < w ? PaddingModes.Reflect : PaddingModes.Replicate;
        var k = torch.tensor(Kernel1D().Select(v => (float)v).ToArray()).to(image.dtype);
        var horizontal = k.view(1, 1, 1, KernelSize).expand(c, 1, 1, KernelSize);
        var vertical = k.view(1, 1, KernelSize, 1).expand(c, 1, KernelSize, 1);
        var x = torch.nn.functional.pad(image, new long[] { pad, pad, 0, 0 }, mode);
        x = torch.nn.functional.conv2d(x, horizontal, groups: c);
        x = torch.nn.functional.pad(x, new long[] { 0, 0, pad, pad }, mode);
        x = torch.nn.functional.conv2d(x, vertical, groups: c);
        return x.MoveToOuterDisposeScope();
    }
}
