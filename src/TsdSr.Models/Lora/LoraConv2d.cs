using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsdSr.Models.Lora;

/// <summary>
/// A Conv2d layer that can carry LoRA adapters (A: a conv in→r with the base kernel, stride and padding, no bias;
/// B: a 1×1 conv r→out). Base parameters are named like <c>nn.Conv2d</c>'s (<c>weight</c>, <c>bias</c>); with no
/// adapter it is exactly a Conv2d. See <see cref="LoraLayer"/> for the adapter API.
/// </summary>
public sealed class LoraConv2d : LoraLayer
{
    private Parameter weight;
    private Parameter? bias;
    private readonly LoraAdapterStore lora_A = new();
    private readonly LoraAdapterStore lora_B = new();

    /// <summary>Creates the layer with PyTorch's default Conv2d initialisation.</summary>
    public LoraConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool hasBias = true)
        : base(nameof(LoraConv2d))
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        weight = new Parameter(ModelConstruction.Empty(outChannels, inChannels, kernelSize, kernelSize));
        bias = hasBias ? new Parameter(ModelConstruction.Empty(outChannels)) : null;
        if (!ModelConstruction.SkipInitialisation)
        {
            nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
            if (bias is not null)
            {
                var bound = 1 / Math.Sqrt(inChannels * kernelSize * kernelSize);
                nn.init.uniform_(bias, -bound, bound);
            }
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
    public override Parameter Weight => weight;

    /// <summary>The base bias [out], or null.</summary>
    public override Parameter? Bias => bias;

    private protected override LoraAdapterStore StoreA => lora_A;

    private protected override LoraAdapterStore StoreB => lora_B;

    /// <inheritdoc />
    public override long[] AdapterAShape(int rank) => [rank, InChannels, KernelSize, KernelSize];

    /// <inheritdoc />
    public override long[] AdapterBShape(int rank) => [OutChannels, rank, 1, 1];

    /// <summary>
    /// Re-lays the base weight out channels-last (same values, same parameter name): with channels-last activations,
    /// oneDNN then takes the weight as it is instead of reordering it on every call. Adapters are left as they are.
    /// </summary>
    public void ToChannelsLast()
    {
        if (TsdSr.Models.ChannelsLast.Is(weight))
        {
            return;
        }

        using (no_grad())
        {
            var old = weight;
            weight = new Parameter(TsdSr.Models.ChannelsLast.To(old), old.requires_grad);
            ConditionallyRegisterParameter(nameof(weight), weight);
            old.Dispose();
        }
    }

    private protected override Tensor BaseForward(Tensor input) =>
        nn.functional.conv2d(input, weight, bias, strides: new[] { Stride, Stride }, padding: new[] { Padding, Padding });

    private protected override (nn.Module<Tensor, Tensor> A, nn.Module<Tensor, Tensor> B) CreateAdapterModules(int rank, bool loraBias) =>
        (nn.Conv2d(InChannels, rank, KernelSize, stride: Stride, padding: Padding, bias: false), nn.Conv2d(rank, OutChannels, 1, bias: loraBias));

    // §4.3: W += (B[:, :, 0, 0] · A.reshape(r, −1)).reshape(W.shape).
    private protected override Tensor Product(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var b2 = b.flatten(1);
        var a2 = a.reshape(a.shape[0], -1);
        return b2.matmul(a2).reshape(OutChannels, InChannels, KernelSize, KernelSize).MoveToOuterDisposeScope();
    }
}
