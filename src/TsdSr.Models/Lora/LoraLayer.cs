using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsdSr.Models.Lora;

/// <summary>
/// What <see cref="LoraLinear"/> and <see cref="LoraConv2d"/> share: named adapters in <c>lora_A</c> / <c>lora_B</c>,
/// the active set, runtime scales, enable/disable, merge/unmerge and freezing. Forward:
/// <c>y = base(x) + Σ_active s_run·scaling·B(A(x))</c> over active adapters that are not merged.
/// </summary>
/// <remarks>
/// No Parameter reference is kept here: TorchSharp's <c>Module.to(dtype/device)</c> replaces parameters, so every access
/// goes through the owning fields. Merging keeps an exact copy of the base weight (and bias, when a B bias is merged)
/// until <see cref="Unmerge"/>, so unmerging is bit-exact; that copy costs one extra weight per merged layer (on
/// the weight's device unless a backup device is given, e.g. the CPU to spare GPU memory).
/// </remarks>
public abstract class LoraLayer : nn.Module<Tensor, Tensor>
{
    private readonly Dictionary<string, LoraAdapterSettings> settings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> scales = new(StringComparer.Ordinal);
    private readonly List<string> active = new();
    private readonly List<string> merged = new();
    private MergeBackup? backup;
    private string[] runtime = [];
    private bool enabled = true;

    private static long created;

    private protected LoraLayer(string name)
        : base(name)
    {
        Interlocked.Increment(ref created);
    }

    /// <summary>
    /// How many LoRA layers were constructed in this process so far. A layer must exist before it can join a module tree,
    /// so <see cref="LoraAdapters"/> re-walks a cached model only when this count has moved.
    /// </summary>
    public static long CreatedCount => Interlocked.Read(ref created);

    /// <summary>The base weight.</summary>
    public abstract Parameter Weight { get; }

    /// <summary>The base bias, or null.</summary>
    public abstract Parameter? Bias { get; }

    /// <summary>Adapter names in the order they were added.</summary>
    public IReadOnlyList<string> AdapterNames => StoreA.Names;

    /// <summary>Adapters that take part in the forward pass (merged or not), in the order they were set.</summary>
    public IReadOnlyList<string> ActiveAdapters => active;

    /// <summary>Adapters currently merged into the base weight.</summary>
    public IReadOnlyList<string> MergedAdapters => merged;

    /// <summary>Whether some adapter is merged into the base weight.</summary>
    public bool IsMerged => merged.Count > 0;

    /// <summary>False when every adapter is bypassed (<see cref="SetAdaptersEnabled"/>).</summary>
    public bool AdaptersEnabled => enabled;

    /// <summary>The <c>lora_A</c> store.</summary>
    private protected abstract LoraAdapterStore StoreA { get; }

    /// <summary>The <c>lora_B</c> store.</summary>
    private protected abstract LoraAdapterStore StoreB { get; }

    /// <summary>Whether an adapter of that name is on this layer.</summary>
    public bool HasAdapter(string adapter) => settings.ContainsKey(adapter);

    /// <summary>The settings of an adapter.</summary>
    public LoraAdapterSettings GetSettings(string adapter) => settings.TryGetValue(adapter, out var s) ? s : throw Unknown(adapter);

    /// <summary>The runtime scale s_run of an adapter (1 unless set).</summary>
    public double GetScale(string adapter) => scales.TryGetValue(adapter, out var s) ? s : throw Unknown(adapter);

    /// <summary>The A module (<c>lora_A.{adapter}</c>).</summary>
    public nn.Module<Tensor, Tensor> AdapterA(string adapter) => HasAdapter(adapter) ? StoreA.Get(adapter) : throw Unknown(adapter);

    /// <summary>The B module (<c>lora_B.{adapter}</c>).</summary>
    public nn.Module<Tensor, Tensor> AdapterB(string adapter) => HasAdapter(adapter) ? StoreB.Get(adapter) : throw Unknown(adapter);

    /// <summary>The shape of A's weight for rank r.</summary>
    public abstract long[] AdapterAShape(int rank);

    /// <summary>The shape of B's weight for rank r.</summary>
    public abstract long[] AdapterBShape(int rank);

    /// <summary>
    /// Adds an adapter. Its parameters get <paramref name="dtype"/> (default: the base weight's dtype) and the base's
    /// device; it is not made active (see <see cref="SetActiveAdapters"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Bad name or rank, the name exists, or a B bias without a base bias.</exception>
    /// <exception cref="InvalidOperationException">The layer is merged.</exception>
    public void AddAdapter(string adapter, int rank, double alpha, bool useRsLora = false, LoraInit init = LoraInit.Default, bool loraBias = false, ScalarType? dtype = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapter);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        if (HasAdapter(adapter))
        {
            throw new ArgumentException($"Adapter '{adapter}' already exists on this layer.", nameof(adapter));
        }

        if (loraBias && Bias is null)
        {
            throw new ArgumentException("A B bias (lora_bias) needs a base bias to merge into; this layer has none.", nameof(loraBias));
        }

        ThrowIfMerged("add an adapter");
        var (a, b) = CreateAdapterModules(rank, loraBias);
        using (no_grad())
        {
            if (init == LoraInit.Gaussian)
            {
                nn.init.normal_(ParameterOf(a, "weight"), 0, 1.0 / rank);
            }

            if (init != LoraInit.Random)
            {
                nn.init.zeros_(ParameterOf(b, "weight"));
                if (loraBias)
                {
                    nn.init.zeros_(ParameterOf(b, "bias"));
                }
            }
        }

        var type = dtype ?? Weight.dtype;
        a.to(Weight.device, type);
        b.to(Weight.device, type);
        StoreA.Add(adapter, a);
        StoreB.Add(adapter, b);
        settings[adapter] = new LoraAdapterSettings(rank, alpha, useRsLora, init, loraBias);
        scales[adapter] = 1.0;
    }

    /// <summary>Removes an adapter and its parameters.</summary>
    /// <exception cref="InvalidOperationException">That adapter is merged.</exception>
    public void DeleteAdapter(string adapter)
    {
        if (!HasAdapter(adapter))
        {
            throw Unknown(adapter);
        }

        if (merged.Contains(adapter))
        {
            throw new InvalidOperationException($"Adapter '{adapter}' is merged; unmerge before deleting it.");
        }

        StoreA.Remove(adapter);
        StoreB.Remove(adapter);
        settings.Remove(adapter);
        scales.Remove(adapter);
        active.Remove(adapter);
        UpdateRuntime();
    }

    /// <summary>Sets the active adapters (an empty set runs the base layer only).</summary>
    /// <exception cref="InvalidOperationException">The layer is merged (unmerge first).</exception>
    public void SetActiveAdapters(IEnumerable<string> adapters)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        var list = adapters.Distinct(StringComparer.Ordinal).ToList();
        foreach (var a in list.Where(a => !HasAdapter(a)))
        {
            throw Unknown(a);
        }

        if (!list.SequenceEqual(active))
        {
            ThrowIfMerged("change the active adapters");
        }

        active.Clear();
        active.AddRange(list);
        UpdateRuntime();
    }

    /// <summary>Sets the runtime scale s_run of an adapter (diffusers' <c>set_adapters</c> weight / LoRA scale).</summary>
    /// <exception cref="InvalidOperationException">That adapter is merged.</exception>
    public void SetScale(string adapter, double scale)
    {
        if (!HasAdapter(adapter))
        {
            throw Unknown(adapter);
        }

        if (merged.Contains(adapter))
        {
            throw new InvalidOperationException($"Adapter '{adapter}' is merged; unmerge before changing its scale.");
        }

        scales[adapter] = scale;
    }

    /// <summary>Enables or bypasses every adapter (the base layer alone runs when disabled).</summary>
    /// <exception cref="InvalidOperationException">Disabling a merged layer.</exception>
    public void SetAdaptersEnabled(bool value)
    {
        if (!value)
        {
            ThrowIfMerged("disable adapters");
        }

        enabled = value;
        UpdateRuntime();
    }

    /// <summary>Sets requires_grad = false on the base weight and bias (adapters stay trainable).</summary>
    public void FreezeBase()
    {
        Weight.requires_grad = false;
        if (Bias is { } bias)
        {
            bias.requires_grad = false;
        }
    }

    /// <summary>An adapter's parameters with their names inside this layer (<c>lora_A.{adapter}.weight</c>, …).</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> AdapterParameters(string adapter)
    {
        var a = AdapterA(adapter);
        var b = AdapterB(adapter);
        return [
            .. a.named_parameters().Select(p => ($"lora_A.{adapter}.{p.name}", p.parameter)),
            .. b.named_parameters().Select(p => ($"lora_B.{adapter}.{p.name}", p.parameter)),
        ];
    }

    /// <summary>
    /// <c>s_run·scaling·ΔW</c> for an adapter, in the base weight's shape and the adapter's dtype (a new tensor).
    /// </summary>
    public Tensor DeltaWeight(string adapter)
    {
        var s = GetSettings(adapter);
        using var scope = NewDisposeScope();
        var product = Product(ParameterOf(AdapterA(adapter), "weight").detach(), ParameterOf(AdapterB(adapter), "weight").detach());
        return product.mul(scales[adapter] * s.Scaling).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Merges adapters into the base weight: <c>W ← W + s_run·scaling·ΔW</c> (and the B bias into the base bias).
    /// Default: the active adapters not yet merged. The first merge keeps an exact copy of the base for
    /// <see cref="Unmerge"/>, on <paramref name="backupDevice"/> (default: the weight's device).
    /// </summary>
    /// <exception cref="InvalidOperationException">Adapters are disabled.</exception>
    public void Merge(IEnumerable<string>? adapters = null, Device? backupDevice = null)
    {
        if (!enabled)
        {
            throw new InvalidOperationException("Adapters are disabled; enable them before merging.");
        }

        var list = (adapters ?? active).Distinct(StringComparer.Ordinal).Where(a => !merged.Contains(a)).ToList();
        foreach (var a in list.Where(a => !HasAdapter(a)))
        {
            throw Unknown(a);
        }

        if (list.Count == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        backup ??= new MergeBackup(Copy(Weight, backupDevice), Bias is null ? null : Copy(Bias, backupDevice));
        foreach (var a in list)
        {
            Weight.add_(DeltaWeight(a).to(Weight.dtype));
            if (settings[a].HasBias)
            {
                var b = ParameterOf(AdapterB(a), "bias").detach();
                Bias!.add_(b.mul(scales[a] * settings[a].Scaling).to(Bias!.dtype));
            }

            merged.Add(a);
            if (!active.Contains(a))
            {
                active.Add(a);
            }
        }

        UpdateRuntime();
    }

    /// <summary>Restores the exact base weight and bias kept by <see cref="Merge"/>; no-op when nothing is merged.</summary>
    public void Unmerge()
    {
        if (backup is null)
        {
            return;
        }

        using (no_grad())
        {
            Weight.copy_(backup.Weight);
            if (backup.Bias is not null)
            {
                Bias!.copy_(backup.Bias);
            }
        }

        DropBackup();
        merged.Clear();
        UpdateRuntime();
    }

    /// <summary>Merges the active adapters for good, then deletes every adapter: a plain layer remains.</summary>
    public void MergeAndUnload()
    {
        if (enabled)
        {
            Merge();
        }

        DropBackup();
        merged.Clear();
        foreach (var a in AdapterNames.ToList())
        {
            DeleteAdapter(a);
        }
    }

    /// <summary>
    /// <see cref="MergeAndUnload()"/> for a base weight held in a lower precision than it was stored in: the sum
    /// <c>W + s_run·scaling·ΔW</c> is formed in fp32 (fp64 for an fp64 weight) from <paramref name="fullWeight"/> (and
    /// <paramref name="fullBias"/>), the stored base at full precision, and rounded into the base parameter once. This is
    /// the value a merge in fp32 followed by a cast gives, without holding the whole model in fp32.
    /// </summary>
    /// <param name="fullWeight">The base weight as stored (any floating dtype and device; shape of <see cref="Weight"/>).</param>
    /// <param name="fullBias">The base bias as stored, or null when no merged adapter has a bias.</param>
    /// <exception cref="ArgumentException">A shape differs from the base parameter's, or a bias is needed and missing.</exception>
    public void MergeAndUnload(Tensor fullWeight, Tensor? fullBias)
    {
        ArgumentNullException.ThrowIfNull(fullWeight);
        if (!fullWeight.shape.SequenceEqual(Weight.shape))
        {
            throw new ArgumentException($"The full-precision weight is [{string.Join(", ", fullWeight.shape)}], the layer's [{string.Join(", ", Weight.shape)}].", nameof(fullWeight));
        }

        var list = enabled ? active.Where(a => !merged.Contains(a)).ToList() : [];
        ThrowIfMerged("merge from a full-precision base");
        var withBias = list.Where(a => settings[a].HasBias).ToList();
        if (withBias.Count > 0 && (fullBias is null || Bias is null || !fullBias.shape.SequenceEqual(Bias.shape)))
        {
            throw new ArgumentException("An adapter with a bias is merged: the base bias at full precision, of the layer's shape, is needed.", nameof(fullBias));
        }

        if (list.Count > 0)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var precision = Weight.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
            var w = fullWeight.to(precision, Weight.device, copy: true);
            foreach (var a in list)
            {
                w.add_(DeltaWeight(a).to(precision, Weight.device));
            }

            Weight.copy_(w);
            if (withBias.Count > 0)
            {
                var bias = fullBias!.to(precision, Bias!.device, copy: true);
                foreach (var a in withBias)
                {
                    bias.add_(ParameterOf(AdapterB(a), "bias").detach().mul(scales[a] * settings[a].Scaling).to(precision, Bias.device));
                }

                Bias.copy_(bias);
            }
        }

        foreach (var a in AdapterNames.ToList())
        {
            DeleteAdapter(a);
        }
    }

    /// <inheritdoc />
    public sealed override Tensor forward(Tensor input)
    {
        if (runtime.Length == 0)
        {
            return BaseForward(input);
        }

        using var scope = NewDisposeScope();
        var result = BaseForward(input);
        foreach (var name in runtime)
        {
            var a = StoreA.Get(name);
            var b = StoreB.Get(name);
            var adapterType = ParameterOf(a, "weight").dtype;
            var x = input.dtype == adapterType ? input : input.to(adapterType);
            var delta = b.call(a.call(x)).mul(scales[name] * settings[name].Scaling);
            result = result.add(delta.dtype == result.dtype ? delta : delta.to(result.dtype));
        }

        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The base layer alone.</summary>
    private protected abstract Tensor BaseForward(Tensor input);

    /// <summary>New, unregistered A and B modules for rank r (float32, CPU, default init).</summary>
    private protected abstract (nn.Module<Tensor, Tensor> A, nn.Module<Tensor, Tensor> B) CreateAdapterModules(int rank, bool loraBias);

    /// <summary>ΔW = B·A reshaped to the base weight's shape, unscaled.</summary>
    private protected abstract Tensor Product(Tensor a, Tensor b);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DropBackup();
        }

        base.Dispose(disposing);
    }

    private static Parameter ParameterOf(nn.Module module, string name) =>
        module.named_parameters(false).FirstOrDefault(p => p.name == name).parameter
        ?? throw new InvalidOperationException($"Adapter module has no parameter '{name}'.");

    private static Tensor Copy(Tensor t, Device? device)
    {
        var copy = device is null || device.type == t.device_type && device.index == t.device_index
            ? t.detach().clone()
            : t.detach().to(device);
        return copy.DetachFromDisposeScope();
    }

    private static KeyNotFoundException Unknown(string adapter) => new($"Adapter '{adapter}' does not exist on this layer.");

    private void ThrowIfMerged(string what)
    {
        if (IsMerged)
        {
            throw new InvalidOperationException($"Cannot {what} while adapters [{string.Join(", ", merged)}] are merged; unmerge first.");
        }
    }

    private void UpdateRuntime() =>
        runtime = enabled ? active.Where(a => !merged.Contains(a)).ToArray() : [];

    private void DropBackup()
    {
        backup?.Weight.Dispose();
        backup?.Bias?.Dispose();
        backup = null;
    }

    private sealed record MergeBackup(Tensor Weight, Tensor? Bias);
}
