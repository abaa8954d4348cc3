using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Models.Lora;

/// <summary>
/// The named-adapter container behind <c>lora_A</c> / <c>lora_B</c>: children are registered by adapter name, giving
/// PEFT's in-model keys (<c>lora_A.default.weight</c>). TorchSharp's ModuleDict is not used because its indexers break
/// <c>Module.to(dtype)</c> in TorchSharp 0.107.
/// </summary>
public sealed class LoraAdapterStore : nn.Module
{
    private readonly List<string> names = new();

    /// <summary>Creates an empty store.</summary>
    public LoraAdapterStore()
        : base(nameof(LoraAdapterStore))
    {
    }

    /// <summary>Adapter names in insertion order.</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>Adds (registers) an adapter module.</summary>
    public void Add(string adapter, nn.Module<Tensor, Tensor> module)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapter);
        if (names.Contains(adapter))
        {
            throw new ArgumentException($"Adapter '{adapter}' already exists.", nameof(adapter));
        }

        register_module(adapter, module);
        names.Add(adapter);
    }

    /// <summary>The adapter module of that name.</summary>
    public nn.Module<Tensor, Tensor> Get(string adapter) =>
        named_children().FirstOrDefault(c => c.name == adapter).module as nn.Module<Tensor, Tensor>
        ?? throw new KeyNotFoundException($"Adapter '{adapter}' does not exist.");
}
