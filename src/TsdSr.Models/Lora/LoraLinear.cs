using TorchSharp;
using TorchSharp.Modules;
using TsdSr.Models.Kernels;
using static TorchSharp.torch;

namespace TsdSr.Models.Lora;

/// <summary>
/// A Linear layer that can carry LoRA adapters. Its base parameters are named like <c>nn.Linear</c>'s
/// (<c>weight</c>, <c>bias</c>), so diffusers checkpoints load without renaming; adapters live under
/// <c>lora_A.{adapter}</c> (Linear in→r, no bias) / <c>lora_B.{adapter}</c> (Linear r→out), PEFT's in-model naming.
/// With no adapter it is exactly a Linear. See <see cref="LoraLayer"/> for the adapter API.
/// </summary>
public sealed class LoraLinear : LoraLayer
{
    private Parameter weight;
    private Parameter? bias;
    private readonly LoraAdapterStore lora_A = new();
    private readonly LoraAdapterStore lora_B = new();

    /// <summary>Creates the layer with PyTorch's default Linear initialisation.</summary>
    public LoraLinear(long inFeatures, long outFeatures, bool hasBias = true)
        : base(nameof(LoraLinear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = new Parameter(ModelConstruction.Empty(outFeatures, inFeatures));
        bias = hasBias ? new Parameter(ModelConstruction.Empty(outFeatures)) : null;
        if (!ModelConstruction.SkipInitialisation)
        {
            nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
            if (bias is not null)
            {
                var bound = 1 / Math.Sqrt(inFeatures);
                nn.init.uniform_(bias, -bound, bound);
            }
        }

        RegisterComponents();
    }

    /// <summary>Input features.</summary>
    public long InFeatures { get; }

    /// <summary>Output features.</summary>
    public long OutFeatures { get; }

    /// <summary>The base weight [out, in].</summary>
    public override Parameter Weight => weight;

    /// <summary>The base bias [out], or null.</summary>
    public override Parameter? Bias => bias;

    private protected override LoraAdapterStore StoreA => lora_A;

    private protected override LoraAdapterStore StoreB => lora_B;

    /// <inheritdoc />
    public override long[] AdapterAShape(int rank) => [rank, InFeatures];

    /// <inheritdoc />
    public override long[] AdapterBShape(int rank) => [OutFeatures, rank];

    /// <summary>
    /// Whether fp32 products on the CPU run as oneDNN 1×1 convolutions (<see cref="ConvolutionLinear"/>) instead of
    /// libtorch's BLAS GEMM. False (default): exactly <c>nn.functional.linear</c>. The inference pipeline turns it on
    /// where it was measured faster (AMD CPUs); the adapters' own products are unaffected.
    /// </summary>
    public bool Fp32ConvolutionOnCpu { get; set; }

    /// <summary>Whether <see cref="Fp32ConvolutionOnCpu"/>, when on, applies to products in <paramref name="dtype"/> on
    /// <paramref name="device"/>: fp32 on the CPU only.</summary>
    public static bool ConvolutionApplies(ScalarType dtype, DeviceType device) => dtype == ScalarType.Float32 && device == DeviceType.CPU;

    /// <summary>Whether a forward over <paramref name="input"/> takes the convolution path (<see cref="Fp32ConvolutionOnCpu"/>,
    /// and <see cref="ConvolutionApplies"/> to both the input and the weight).</summary>
    public bool UsesConvolution(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Fp32ConvolutionOnCpu && ConvolutionApplies(input.dtype, input.device_type) && ConvolutionApplies(weight.dtype, weight.device_type);
    }

    private protected override Tensor BaseForward(Tensor input) =>
        UsesConvolution(input) ? ConvolutionLinear.Forward(input, weight, bias) : nn.functional.linear(input, weight, bias);

    private protected override (nn.Module<Tensor, Tensor> A, nn.Module<Tensor, Tensor> B) CreateAdapterModules(int rank, bool loraBias) =>
        (nn.Linear(InFeatures, rank, hasBias: false), nn.Linear(rank, OutFeatures, hasBias: loraBias));

    private protected override Tensor Product(Tensor a, Tensor b) => b.matmul(a);
}
