using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsdSr.Models.Lora;

/// <summary>
/// A Linear layer that can carry LoRA adapters. Its base parameters are named like <c>nn.Linear</c>'s
/// (<c>weight</c>, <c>bias</c>), so diffusers checkpoints load without renaming; adapters live under
/// <c>lora_A.{adapter}</c> / <c>lora_B.{adapter}</c>, PEFT's in-model naming. With no adapter it is exactly a Linear.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are state-dict keys and follow diffusers / PEFT.
    private Parameter weight;
    private Parameter? bias;
    private readonly LoraAdapterStore lora_A = new();
    private readonly LoraAdapterStore lora_B = new();
#pragma warning restore IDE1006

    /// <summary>Creates the layer with PyTorch's default Linear initialisation.</summary>
    public LoraLinear(long inFeatures, long outFeatures, bool hasBias = true)
        : base(nameof(LoraLinear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = new Parameter(empty(outFeatures, inFeatures));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        if (hasBias)
        {
            var bound = 1 / Math.Sqrt(inFeatures);
            bias = new Parameter(empty(outFeatures));
            nn.init.uniform_(bias, -bound, bound);
        }

        RegisterComponents();
    }

    /// <summary>Input features.</summary>
    public long InFeatures { get; }

    /// <summary>Output features.</summary>
    public long OutFeatures { get; }

    /// <summary>The base weight [out, in].</summary>
    public Parameter Weight => weight;

    /// <summary>The base bias [out], or null.</summary>
    public Parameter? Bias => bias;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);
}
