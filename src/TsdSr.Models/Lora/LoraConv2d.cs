using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsdSr.Models.Lora;

/// <summary>
/// A Conv2d layer that can carry LoRA adapters (A: a conv with the base kernel, stride and padding; B: a 1×1 conv).
/// Base parameters are named like <c>nn.Conv2d</c>'s (<c>weight</c>, <c>bias</c>); with no adapter it is exactly a
/// Conv2d.
/// </summary>
public sealed class LoraConv2d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are state-dict keys and follow diffusers / PEFT.
    private Parameter weight;
    private Parameter? bias;
    private readonly LoraAdapterStore lora_A = new();
    private readonly LoraAdapterStore lora_B = new();
#pragma warning restore IDE1006

    /// <summary>Creates the layer with PyTorch's default Conv2d initialisation.</summary>
    public LoraConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool hasBias = true)
        : base(nameof(LoraConv2d))
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        weight = new Parameter(empty(outChannels, inChannels, kernelSize, kernelSize));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        if (hasBias)
        {
            var bound = 1 / Math.Sqrt(inChannels * kernelSize * kernelSize);
            bias = new Parameter(empty(outChannels));
            nn.init.uniform_(bias, -bound, bound);
        }

        RegisterComponents();
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels.</summary>
    public long OutChannels { get; }

    /// <summary>Square kernel size.</summary>
    public long KernelSize { get; }

    /// <summary>Stride.</summary>
    public long Stride { get; }

    /// <summary>Zero padding on every side.</summary>
    public long Padding { get; }

    /// <summary>The base weight [out, in, k, k].</summary>
    public Parameter Weight => weight;

    /// <summary>The base bias [out], or null.</summary>
    public Parameter? Bias => bias;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) =>
        nn.functional.conv2d(input, weight, bias, strides: new[] { Stride, Stride }, padding: new[] { Padding, Padding });
}
