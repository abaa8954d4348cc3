using System.Runtime.CompilerServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsdSr.Models.Lora;

/// <summary>
/// LoRA over a whole model: walks <c>named_modules()</c> for <see cref="LoraLayer"/>s (<see cref="LoraLinear"/>,
/// <see cref="LoraConv2d"/>) and applies PEFT-style operations to each. Several named adapters can share one base
/// (TSD-SR training keeps teacher, fake-score and student adapters on one transformer and switches between them).
/// </summary>
/// <remarks>
/// The layer list of each model is cached after the first walk (walking <c>named_modules()</c> of an SD3 transformer
/// costs seconds in TorchSharp, and training switches adapters several times per step). The cache is rebuilt when a
/// new <see cref="LoraLayer"/> has been constructed since (<see cref="LoraLayer.CreatedCount"/>), since only then can
/// layers have been added to a tree. Moving existing layers between modules is not detected: call
/// <see cref="Refresh"/> after such surgery.
/// </remarks>
public static class LoraAdapters
{
    private static readonly ConditionalWeakTable<nn.Module, LayerCache> Cache = new();

    /// <summary>Every LoRA-capable layer with its full module name (the model itself is named ""), from the cache when valid.</summary>
    public static IReadOnlyList<(string Name, LoraLayer Layer)> Layers(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        long stamp = LoraLayer.CreatedCount;
        if (Cache.TryGetValue(model, out var cached) && cached.Stamp == stamp)
        {
            return cached.Layers;
        }

        var layers = Walk(model);
        Cache.AddOrUpdate(model, new LayerCache(stamp, layers));
        return layers;
    }

    /// <summary>Forgets the cached layer list of <paramref name="model"/> (after moving existing LoRA layers between modules).</summary>
    public static void Refresh(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Cache.Remove(model);
    }

    private static IReadOnlyList<(string Name, LoraLayer Layer)> Walk(nn.Module model)
    {
        var list = new List<(string, LoraLayer)>();
        if (model is LoraLayer self)
        {
            list.Add((string.Empty, self));
        }

        foreach (var (name, module) in model.named_modules())
        {
            if (module is LoraLayer layer)
            {
                list.Add((name, layer));
            }
        }

        return list.AsReadOnly();
    }

    /// <summary>
    /// Adds an adapter to every layer <paramref name="config"/> targets and returns their names. With
    /// <paramref name="activate"/> the new adapter becomes the only active one.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="adapter">Adapter name (PEFT's default is "default").</param>
    /// <param name="config">Targets, ranks, alphas and initialisation.</param>
    /// <param name="activate">Make this adapter the only active one.</param>
    /// <param name="dtype">Adapter dtype (default: each base weight's; fp32 adapters over an fp16 base are allowed).</param>
    /// <exception cref="ArgumentException">No LoRA-capable layer matches the targets, the name exists, or lora_bias on a layer without bias.</exception>
    /// <exception cref="InvalidOperationException">Some layer is merged.</exception>
    public static IReadOnlyList<string> Add(nn.Module model, string adapter, LoraConfig config, bool activate = true, ScalarType? dtype = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapter);
        ArgumentNullException.ThrowIfNull(config);
        var targets = Layers(model).Where(l => config.Matches(l.Name)).ToList();
        if (targets.Count == 0)
        {
            var what = config.TargetModulesRegex ?? string.Join(", ", config.TargetModules);
            throw new ArgumentException($"No LoRA-capable layer (LoraLinear / LoraConv2d) matches the target modules [{what}].", nameof(config));
        }

        if (AdapterNames(model).Contains(adapter))
        {
            throw new ArgumentException($"Adapter '{adapter}' already exists on this model.", nameof(adapter));
        }

        ThrowIfAnyMerged(model, "add an adapter");
        var noBias = config.LoraBias ? targets.Where(t => t.Layer.Bias is null).Select(t => t.Name).ToList() : [];
        if (noBias.Count > 0)
        {
            throw new ArgumentException($"lora_bias needs a base bias; these targets have none: {string.Join(", ", noBias)}.", nameof(config));
        }

        foreach (var (name, layer) in targets)
        {
            layer.AddAdapter(adapter, config.RankFor(name), config.AlphaFor(name), config.UseRsLora, config.Init, config.LoraBias, dtype);
        }

        if (activate)
        {
            SetActive(model, adapter);
        }

        return targets.Select(t => t.Name).ToList();
    }

    /// <summary>Every adapter name on the model, in first-seen order.</summary>
    public static IReadOnlyList<string> AdapterNames(nn.Module model) =>
        Layers(model).SelectMany(l => l.Layer.AdapterNames).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The names of the layers that carry an adapter.</summary>
    public static IReadOnlyList<string> LayersWith(nn.Module model, string adapter) =>
        Layers(model).Where(l => l.Layer.HasAdapter(adapter)).Select(l => l.Name).ToList();

    /// <summary>Makes exactly these adapters active on every layer (each layer uses those it has).</summary>
    /// <exception cref="ArgumentException">A name exists on no layer.</exception>
    /// <exception cref="InvalidOperationException">The model is merged.</exception>
    public static void SetActive(nn.Module model, params string[] adapters) => SetActive(model, (IEnumerable<string>)adapters);

    /// <inheritdoc cref="SetActive(nn.Module, string[])" />
    public static void SetActive(nn.Module model, IEnumerable<string> adapters)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        var names = adapters.ToList();
        var layers = Layers(model);
        var known = layers.SelectMany(l => l.Layer.AdapterNames).ToHashSet(StringComparer.Ordinal);
        var unknown = names.Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Adapter(s) [{string.Join(", ", unknown)}] exist on no layer of this model.", nameof(adapters));
        }

        foreach (var (_, layer) in layers)
        {
            layer.SetActiveAdapters(names.Where(layer.HasAdapter));
        }
    }

    /// <summary>Sets an adapter's runtime scale on every layer that has it.</summary>
    public static void SetScale(nn.Module model, string adapter, double scale)
    {
        foreach (var (_, layer) in LayersHaving(model, adapter))
        {
            layer.SetScale(adapter, scale);
        }
    }

    /// <summary>Re-enables every adapter.</summary>
    public static void Enable(nn.Module model) => SetEnabled(model, true);

    /// <summary>Bypasses every adapter: the model computes its base output.</summary>
    public static void Disable(nn.Module model) => SetEnabled(model, false);

    /// <summary>Merges adapters (default: the active ones) into the base weights; see <see cref="LoraLayer.Merge"/>.</summary>
    public static void Merge(nn.Module model, IEnumerable<string>? adapters = null, Device? backupDevice = null)
    {
        var names = adapters?.ToList();
        foreach (var (_, layer) in Layers(model))
        {
            layer.Merge(names?.Where(layer.HasAdapter), backupDevice);
        }
    }

    /// <summary>Restores every merged layer's base weights bit for bit.</summary>
    public static void Unmerge(nn.Module model)
    {
        foreach (var (_, layer) in Layers(model))
        {
            layer.Unmerge();
        }
    }

    /// <summary>Merges the active adapters for good and removes every adapter from the model.</summary>
    public static void MergeAndUnload(nn.Module model)
    {
        foreach (var (_, layer) in Layers(model))
        {
            layer.MergeAndUnload();
        }
    }

    /// <summary>
    /// Merges for good like <see cref="MergeAndUnload(nn.Module)"/>, but forms each merged weight in fp32 from the base
    /// weights as <paramref name="source"/> stores them (keys = the model's state-dict keys, as a strict load reads
    /// them), then rounds once into the model's dtype: a model loaded directly in bf16 gets the weights that a merge
    /// in fp32 followed by a cast gave, while only one layer at a time is held in fp32.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A merged layer's weight (or needed bias) is not in the source.</exception>
    public static void MergeAndUnload(nn.Module model, TsdSr.Core.SafeTensors.ITensorSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        foreach (var (name, layer) in Layers(model))
        {
            if (layer.AdapterNames.Count == 0)
            {
                continue;
            }

            using var scope = NewDisposeScope();
            var weight = ReadFrom(source, $"{name}.weight");
            var bias = layer.Bias is not null && source.Tensors.ContainsKey($"{name}.bias") ? ReadFrom(source, $"{name}.bias") : null;
            layer.MergeAndUnload(weight, bias);
        }
    }

    private static Tensor ReadFrom(TsdSr.Core.SafeTensors.ITensorSource source, string key) =>
        source.Tensors.ContainsKey(key) ? source.Read(key) : throw new KeyNotFoundException($"'{source.Description}' has no '{key}' to merge the LoRA into.");

    /// <summary>Deletes an adapter from every layer that has it.</summary>
    public static void Delete(nn.Module model, string adapter)
    {
        foreach (var (_, layer) in LayersHaving(model, adapter))
        {
            layer.DeleteAdapter(adapter);
        }
    }

    /// <summary>Sets requires_grad = false on every parameter that is not a LoRA parameter (any module, not only LoRA layers).</summary>
    public static void FreezeBase(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var (name, p) in model.named_parameters())
        {
            if (!IsLoraParameterName(name))
            {
                p.requires_grad = false;
            }
        }
    }

    /// <summary>An adapter's parameters, for an optimiser. Fetch them after any cast or move (casts replace them).</summary>
    public static IReadOnlyList<Parameter> Parameters(nn.Module model, string adapter) =>
        NamedParameters(model, adapter).Select(p => p.Parameter).ToList();

    /// <summary>An adapter's parameters with their full in-model names (<c>x.lora_A.{adapter}.weight</c>).</summary>
    public static IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters(nn.Module model, string adapter) =>
        LayersHaving(model, adapter)
            .SelectMany(l => l.Layer.AdapterParameters(adapter).Select(p => (Join(l.Name, p.Name), p.Parameter)))
            .ToList();

    /// <summary>
    /// The adapter's tensors under PEFT file names without the adapter segment (<c>x.lora_A.weight</c>), unprefixed.
    /// The values are the live parameters (not copies).
    /// </summary>
    public static Dictionary<string, Tensor> StateDict(nn.Module model, string adapter)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, layer) in LayersHaving(model, adapter))
        {
            foreach (var (p, t) in layer.AdapterA(adapter).named_parameters())
            {
                result[Join(name, "lora_A." + p)] = t;
            }

            foreach (var (p, t) in layer.AdapterB(adapter).named_parameters())
            {
                result[Join(name, "lora_B." + p)] = t;
            }
        }

        return result;
    }

    /// <summary>Whether a parameter name is a LoRA parameter (has a <c>lora_A</c> / <c>lora_B</c> path segment).</summary>
    public static bool IsLoraParameterName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Split('.').Any(s => s is "lora_A" or "lora_B");
    }

    /// <summary>Throws when some layer is merged: changing adapters then would leave merged weights behind.</summary>
    internal static void ThrowIfAnyMerged(nn.Module model, string what)
    {
        var merged = Layers(model).Where(l => l.Layer.IsMerged).Select(l => l.Name).ToList();
        if (merged.Count > 0)
        {
            throw new InvalidOperationException($"Cannot {what} while {merged.Count} layer(s) are merged (e.g. '{merged[0]}'); unmerge first.");
        }
    }

    private static void SetEnabled(nn.Module model, bool value)
    {
        foreach (var (_, layer) in Layers(model))
        {
            layer.SetAdaptersEnabled(value);
        }
    }

    private static List<(string Name, LoraLayer Layer)> LayersHaving(nn.Module model, string adapter)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapter);
        var list = Layers(model).Where(l => l.Layer.HasAdapter(adapter)).ToList();
        return list.Count > 0
            ? list
            : throw new ArgumentException($"Adapter '{adapter}' exists on no layer of this model.", nameof(adapter));
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private sealed record LayerCache(long Stamp, IReadOnlyList<(string Name, LoraLayer Layer)> Layers);
}
