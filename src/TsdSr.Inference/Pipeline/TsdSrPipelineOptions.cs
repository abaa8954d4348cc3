using Microsoft.Extensions.Logging;
using TorchSharp;
using TsdSr.Core.Devices;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Lora;

namespace TsdSr.Inference.Pipeline;

/// <summary>How <see cref="TsdSrPipeline.Load"/> places and prepares the models.</summary>
public sealed record TsdSrPipelineOptions
{
    /// <summary>Device name: <c>auto</c> (default), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Transformer weight and compute dtype (Float32, BFloat16 or Float16). Default Float32.</summary>
    public torch.ScalarType TransformerDtype { get; init; } = torch.ScalarType.Float32;

    /// <summary>VAE weight and compute dtype. Default Float32 (the reference ignores the SD3 VAE's force_upcast; fp32 is exact).</summary>
    public torch.ScalarType VaeDtype { get; init; } = torch.ScalarType.Float32;

    /// <summary>
    /// True (default): the LoRA is merged into the base weights (in fp32, before any cast) at load, so each layer is one
    /// matrix product; the golden tests hold the merged pipeline to the same bars as the reference's unmerged one. False:
    /// the LoRA stays a runtime adapter, <c>W·x + B(A·x)</c>, exactly like the reference's PEFT layers.
    /// </summary>
    public bool MergeLora { get; init; } = true;

    /// <summary>
    /// Lay the VAE's convolutions and activations out channels-last (NHWC; <see cref="AutoencoderKL.ToChannelsLast"/>).
    /// Null (default): automatic, channels-last for a bf16 VAE on the CPU and contiguous otherwise
    /// (<see cref="UsesVaeChannelsLast"/>). On the one CPU measured (an AMD EPYC) channels-last ran the bf16 VAE
    /// 1.22× (encode) and 1.26× (decode) faster at SD3 size, and the bf16 golden test gives the same PSNR in both
    /// layouts. In fp32 it changes the convolutions' summation order enough that the tiny golden fixture's latent and
    /// PNG leave the reference's fp32 bars (latent error 2.3e-3 against 2e-3, 0.22–0.47 % of PNG values one level off
    /// against 0.2 %), so fp32 stays contiguous unless asked; on CUDA it is unmeasured and stays contiguous unless asked.
    /// </summary>
    public bool? VaeChannelsLast { get; init; }

    /// <summary>
    /// Whether the VAE runs channels-last on <paramref name="device"/>: <see cref="VaeChannelsLast"/> when set, else
    /// true exactly for a bf16 VAE on the CPU.
    /// </summary>
    public bool UsesVaeChannelsLast(torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return VaeChannelsLast ?? (device.type == DeviceType.CPU && VaeDtype == torch.ScalarType.BFloat16);
    }

    /// <summary>
    /// True (default): a bf16 VAE on the CPU computes its mid-block attention as the explicit product in query chunks
    /// (<see cref="VaeAttention.ExplicitBFloat16OnCpu"/>), measured 1.6–2.2× faster than libtorch's fused attention
    /// there, with errors below bf16's spacing (1.7e-3 against fused 7.3e-4 at 4,096 tokens). False: the fused attention (SDPA) everywhere. Other dtypes and devices
    /// always use SDPA.
    /// </summary>
    public bool VaeExplicitAttention { get; init; } = true;

    /// <summary>
    /// Compute the fp32 linear layers on the CPU as oneDNN 1×1 convolutions (<see cref="LoraLinear.Fp32ConvolutionOnCpu"/>)
    /// instead of MKL's GEMM. Null (default): automatic, on for the CPU when it is AMD's (<see cref="CpuVendor"/>), where
    /// MKL's fp32 GEMM was measured slower: on a Zen 4 EPYC the SD3-medium transformer's fp32 forward ran 1.09× faster
    /// with glibc's malloc and 1.15× with tcmalloc (medians of 4, both engines alternated on one model), and the golden
    /// tests hold either way. Off on Intel CPUs, where it is
    /// unmeasured, and off the CPU. bf16 and fp16 layers always use libtorch's own product.
    /// </summary>
    public bool? LinearAsConvolution { get; init; }

    /// <summary>
    /// Whether fp32 linear layers run as convolutions on <paramref name="device"/>: <see cref="LinearAsConvolution"/> when
    /// set, else true exactly on the CPU of an AMD machine. The layers check the dtype and device of every call.
    /// </summary>
    public bool UsesLinearAsConvolution(torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return LinearAsConvolution ?? (device.type == DeviceType.CPU && CpuVendor.IsAmd);
    }

    /// <summary>Receives device, dtype, load-time and tiling messages. Null: no logging.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Device);
        foreach (var (name, dtype) in new[] { (nameof(TransformerDtype), TransformerDtype), (nameof(VaeDtype), VaeDtype) })
        {
            if (dtype is not (torch.ScalarType.Float32 or torch.ScalarType.BFloat16 or torch.ScalarType.Float16))
            {
                throw new ArgumentException($"{name} must be Float32, BFloat16 or Float16 (got {dtype}).");
            }
        }
    }
}
