using TorchSharp;
using TsdSr.Core.Devices;
using TsdSr.Models.Kernels;
using static TorchSharp.torch;

namespace TsdSr.Inference.Benchmarking;

/// <summary>
/// The GEMM rate a stage's FLOP floor is taken at. On the CPU libtorch has two GEMM engines: MKL behind the matrix
/// product and oneDNN behind the convolutions. On AMD CPUs MKL's fp32 GEMM runs below oneDNN's (measured on a Zen 4
/// EPYC, 2048²: 134.9 GFLOP/s as a product against 195.1 as a 1×1 convolution), so on the CPU both are measured and
/// the better one counts; otherwise fp32 floors would sit below what the VAE's convolutions actually reach.
/// </summary>
public static class GemmThroughput
{
    /// <summary>
    /// GFLOP/s of a square product in <paramref name="dtype"/> on <paramref name="device"/>, best of 5 after a warm-up:
    /// 2048² on the CPU, 8192² on a GPU (which needs a larger product to reach its throughput). On the CPU
    /// <c>Convolution</c> is the same product as a 1×1 convolution, elsewhere null.
    /// </summary>
    public static (double Product, double? Convolution) Measure(ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        int n = device.type == DeviceType.CUDA ? 8192 : 2048;
        using var a = randn(n, n).to(dtype, device);
        using var b = randn(n, n).to(dtype, device);
        double gflop = 2.0 * n * n * n / 1e9;
        double product = gflop / DeviceTimer.Best(device, 5, () =>
        {
            using var mode = inference_mode();
            using var c = a.mm(b);
        });
        if (device.type != DeviceType.CPU)
        {
            return (product, null);
        }

        using var bTransposed = b.t().contiguous();
        double convolution = gflop / DeviceTimer.Best(device, 5, () =>
        {
            using var mode = inference_mode();
            using var c = ConvolutionLinear.Forward(a, bTransposed);
        });
        return (product, convolution);
    }
}
