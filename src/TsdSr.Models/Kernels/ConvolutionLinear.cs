using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Models.Kernels;

/// <summary>
/// A linear layer's product computed by oneDNN's convolution kernels instead of the BLAS GEMM. libtorch sends an fp32
/// <c>linear</c> on the CPU to MKL, whose GEMM runs below oneDNN's on AMD CPUs (measured on a Zen 4 EPYC at the
/// MMDiT's shapes, 1,357 tokens: 139–156 GFLOP/s against 166–186 as 1×1 convolutions). The rows of the input are the
/// pixels of a channels-last 1×m map and the weight is a 1×1 kernel, both as views, so a contiguous input is not
/// copied. The result equals <c>nn.functional.linear</c> up to the GEMMs' summation order.
/// </summary>
public static class ConvolutionLinear
{
    /// <summary>
    /// <c>input · weightᵀ + bias</c> for <paramref name="input"/> [..., in], <paramref name="weight"/> [out, in] and
    /// <paramref name="bias"/> [out] or null, as a 1×1 convolution; the result is [..., out].
    /// </summary>
    /// <exception cref="ArgumentException">The last dimension of the input is not the weight's input size.</exception>
    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.dim() != 2 || input.dim() < 1 || input.shape[^1] != weight.shape[1])
        {
            throw new ArgumentException(
                $"A linear product needs an input [..., in] and a weight [out, in]; got [{string.Join(", ", input.shape)}] and [{string.Join(", ", weight.shape)}].",
                nameof(input));
        }

        long inputs = weight.shape[1], outputs = weight.shape[0];
        long rows = input.numel() / Math.Max(1, inputs);
        var shape = input.shape.ToArray();
        shape[^1] = outputs;
        if (rows == 0)
        {
            return nn.functional.linear(input, weight, bias);
        }

        using var matrix = input.reshape(rows, inputs);
        using var pixelMap = matrix.view(1, 1, rows, inputs);
        using var map = pixelMap.permute(0, 3, 1, 2);
        using var kernel = weight.view(outputs, inputs, 1, 1);
        using var output = nn.functional.conv2d(map, kernel, bias);
        using var pixels = output.permute(0, 2, 3, 1);
        return pixels.reshape(shape);
    }
}
