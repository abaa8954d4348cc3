using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>The activations diffusers' <c>get_activation</c> offers for VAE blocks (<c>act_fn</c>).</summary>
internal static class VaeActivation
{
    public static bool IsSupported(string name) => name is "silu" or "swish" or "mish" or "gelu" or "relu";

    public static Tensor Apply(Tensor x, string name) => name switch
    {
        "silu" or "swish" => nn.functional.silu(x),
        "mish" => nn.functional.mish(x),
        "gelu" => nn.functional.gelu(x),
        "relu" => nn.functional.relu(x),
        _ => throw new ArgumentException($"Unsupported activation '{name}'.", nameof(name)),
    };
}
