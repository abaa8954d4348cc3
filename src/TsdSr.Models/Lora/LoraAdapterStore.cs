using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Models.Lora;

/// <summary>
/// The named-adapter container behind <c>lora_A</c> / <c>lora_B</c>: children are registered by adapter name, giving
/// PEFT's in-model keys (<c>lora_A.default.weight</c>). TorchSharp's ModuleDict is not used because its indexers break
/// <c>Module.to(dtype)</c> in TorchSharp 0.107. Module references may be kept (casts replace parameters, not modules).
/// </summary>
public sealed class LoraAdapterStore : nn.Module
{
    private readonly List<string> names = new();
    private readonly Dictionary<string, nn.Module<Tensor, Tensor>> byName = new(StringComparer.Ordinal);

    /// <summary>Creates an empty store.</summary>
    public LoraAdapterStore()
        : base(nameof(LoraAdapterStore))
    {
    }

    /// <summary>Adapter names in insertion order.</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>Whether an adapter of that name exists.</summary>
    public bool Contains(string adapter) => byName.ContainsKey(adapter);

    /// <summary>Adds (registers) an adapter module.</summary>
    public void Add(string adapter, nn.Module<Tensor, Tensor> module)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapter);
        ArgumentNullException.ThrowIfNull(module);
        if (adapter.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Adapter name '{adapter}' contains '.', which would break state-dict keys.", nameof(adapter));
        }

        if (byName.ContainsKey(adapter))
        {
            throw new ArgumentException($"Adapter '{adapter}' already exists.", nameof(adapter));
        }

        register_module(adapter, module);
        names.Add(adapter);
        byName[adapter] = module;
    }

    /// <summary>The adapter module of that name.</summary>
    public nn.Module<Tensor, Tensor> Get(string adapter) =>
        byName.TryGetValue(adapter, out var module)
            ? module
            : throw new KeyNotFoundException($"Adapter '{adapter}' does not exist.");

    /// <summary>Unregisters the adapter module and disposes it (its parameters leave the state dict).</summary>
    public void Remove(string adapter)
    {
        var module = Get(adapter);
        _internal_submodules.Remove(adapter);
        names.Remove(adapter);
        byName.Remove(adapter);
        module.Dispose();
    }
}
