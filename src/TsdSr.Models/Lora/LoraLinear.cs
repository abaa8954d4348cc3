using TorchSharp;
using TorchSharp.Modules;
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

    private protected override Tensor BaseForward(Tensor input) => nn.functional.linear(input, weight, bias);

    private protected override (nn.Module<Tensor, Tensor> A, nn.Module<Tensor, Tensor> B) CreateAdapterModules(int rank, bool loraBias) =>
        (nn.Linear(InFeatures, rank, hasBias: false), nn.Linear(rank, OutFeatures, hasBias: loraBias));

    private protected override Tensor Product(Tensor a, Tensor b) => b.matmul(a);
}
