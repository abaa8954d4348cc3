using TorchSharp;
using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;
using static TorchSharp.torch;

namespace TsdSr.Models.Lora;

/// <summary>
/// Loads and saves LoRA safetensors files in the PEFT / diffusers format and the TSD-SR format
/// (the official TSD-SR release: the same, every key prefixed <c>transformer.</c>, also in the VAE file, no metadata).
/// Loading creates the named adapter on exactly the layers the file names, with rank from the shapes and alpha from
/// the header's <c>lora_adapter_metadata</c>, else an <c>adapter_config.json</c>, else alpha = rank.
/// </summary>
public static class LoraFile
{
    /// <summary>Loads a LoRA file into a new adapter. See <see cref="LoraLoadOptions"/>.</summary>
    /// <exception cref="LoraLoadException">Strict load and some key does not fit (the model is left unchanged).</exception>
    /// <exception cref="ArgumentException">The adapter name already exists on the model.</exception>
    /// <exception cref="InvalidOperationException">Some layer of the model is merged.</exception>
    public static LoraLoadReport Load(nn.Module model, string path, string adapter, LoraLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = SafetensorsFile.Open(path);
        return Load(model, file, adapter, options, Path.GetDirectoryName(file.Path));
    }

    /// <summary>Loads LoRA tensors from any tensor source (no adjacent adapter_config.json lookup).</summary>
    public static LoraLoadReport Load(nn.Module model, ITensorSource source, string adapter, LoraLoadOptions? options = null) =>
        Load(model, source, adapter, options, null);

    /// <summary>
    /// Saves an adapter: keys <c>{prefix}.{module}.lora_A.weight</c> / <c>lora_B.weight</c> (/ <c>lora_B.bias</c>),
    /// header metadata <c>format = pt</c> and <c>lora_adapter_metadata</c> (the component-prefixed LoraConfig dict with
    /// the most common rank and alpha, and patterns for the layers that differ).
    /// </summary>
    public static void Save(nn.Module model, string adapter, string path, string? componentPrefix = "transformer")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var config = DescribeAdapter(model, adapter);
        var p = string.IsNullOrEmpty(componentPrefix) ? string.Empty : componentPrefix + ".";
        var tensors = LoraAdapters.StateDict(model, adapter).Select(kv => KeyValuePair.Create(p + kv.Key, kv.Value));
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [LoraConfigJson.MetadataKey] = LoraConfigJson.Write(config, componentPrefix),
        };
        SafetensorsWriter.Save(path, tensors, metadata);
    }

    /// <summary>
    /// The LoraConfig that describes an adapter as it is on the model: targets = its layers, r / alpha = the most common
    /// values, rank / alpha patterns (full module names) for the others.
    /// </summary>
    public static LoraConfig DescribeAdapter(nn.Module model, string adapter)
    {
        var layers = LoraAdapters.Layers(model).Where(l => l.Layer.HasAdapter(adapter)).Select(l => (l.Name, Settings: l.Layer.GetSettings(adapter))).ToList();
        if (layers.Count == 0)
        {
            throw new ArgumentException($"Adapter '{adapter}' exists on no layer of this model.", nameof(adapter));
        }

        if (layers.Select(l => l.Settings.UseRsLora).Distinct().Count() > 1)
        {
            throw new InvalidOperationException($"Adapter '{adapter}' mixes rsLoRA and plain scaling across layers; a LoraConfig cannot describe it.");
        }

        var rank = MostCommon(layers.Select(l => l.Settings.Rank));
        var alpha = MostCommon(layers.Select(l => l.Settings.Alpha));
        return new LoraConfig
        {
            Rank = rank,
            Alpha = alpha,
            TargetModules = layers.Select(l => l.Name).ToArray(),
            RankPattern = layers.Where(l => l.Settings.Rank != rank).ToDictionary(l => l.Name, l => l.Settings.Rank, StringComparer.Ordinal),
            AlphaPattern = layers.Where(l => l.Settings.Alpha != alpha).ToDictionary(l => l.Name, l => l.Settings.Alpha, StringComparer.Ordinal),
            UseRsLora = layers[0].Settings.UseRsLora,
            Init = layers[0].Settings.Init,
            LoraBias = layers.Any(l => l.Settings.HasBias),
        };
    }

    private static LoraLoadReport Load(nn.Module model, ITensorSource source, string adapter, LoraLoadOptions? options, string? directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(adapter);
        options ??= new LoraLoadOptions();
        if (LoraAdapters.AdapterNames(model).Contains(adapter))
        {
            throw new ArgumentException($"Adapter '{adapter}' already exists on this model.", nameof(adapter));
        }

        LoraAdapters.ThrowIfAnyMerged(model, "load a LoRA file");
        var (config, alphaSource) = ReadConfig(source, options, directory);
        var plan = Plan(model, source, options.ComponentPrefix);
        var report = new LoraLoadReport(
            source.Description, adapter, plan.Groups.Select(g => g.Module).ToList(), plan.Unmatched, plan.Mismatched, plan.Ignored, alphaSource, config)
        {
            Missing = plan.Missing,
            WrongDTypes = plan.WrongDTypes,
        };
        if (options.Strict && (!report.IsExact || report.Modules.Count == 0))
        {
            throw new LoraLoadException(report);
        }

        // Values are only seen while reading: a NaN is found here, and a strict load then removes the adapter again.
        var nonFinite = new List<string>();
        foreach (var g in plan.Groups)
        {
            var alpha = config?.AlphaFor(g.Module) ?? g.Rank;
            g.Layer.AddAdapter(adapter, g.Rank, alpha, config?.UseRsLora ?? false, config?.Init ?? LoraInit.Default, g.BiasKey is not null, options.AdapterDType);
            Fill(source, g.AKey, g.Layer.AdapterA(adapter), "weight", nonFinite);
            Fill(source, g.BKey, g.Layer.AdapterB(adapter), "weight", nonFinite);
            if (g.BiasKey is not null)
            {
                Fill(source, g.BiasKey, g.Layer.AdapterB(adapter), "bias", nonFinite);
            }
        }

        if (nonFinite.Count > 0)
        {
            report = report with { NonFinite = nonFinite };
            if (options.Strict)
            {
                foreach (var g in plan.Groups)
                {
                    g.Layer.DeleteAdapter(adapter);
                }

                throw new LoraLoadException(report);
            }
        }

        if (options.Activate && plan.Groups.Count > 0)
        {
            LoraAdapters.SetActive(model, adapter);
        }

        return report;
    }

    private static (LoraConfig? Config, LoraAlphaSource Source) ReadConfig(ITensorSource source, LoraLoadOptions options, string? directory)
    {
        if (options.AdapterConfigPath is { } explicitPath)
        {
            return (LoraConfigJson.ReadFile(explicitPath), LoraAlphaSource.AdapterConfig);
        }

        if (source.Metadata.TryGetValue(LoraConfigJson.MetadataKey, out var json))
        {
            return (LoraConfigJson.Parse(json, options.ComponentPrefix, $"{source.Description} ({LoraConfigJson.MetadataKey})"), LoraAlphaSource.Metadata);
        }

        if (options.UseAdjacentAdapterConfig && directory is not null)
        {
            var adjacent = Path.Combine(directory, LoraConfigJson.AdapterConfigFileName);
            if (File.Exists(adjacent))
            {
                return (LoraConfigJson.ReadFile(adjacent), LoraAlphaSource.AdapterConfig);
            }
        }

        return (null, LoraAlphaSource.Rank);
    }

    private static LoadPlan Plan(nn.Module model, ITensorSource source, string? componentPrefix)
    {
        var ignored = new List<string>();
        var unmatched = new List<string>();
        var missing = new List<string>();
        var wrongDTypes = new List<DTypeMismatch>();
        var mismatched = new List<ShapeMismatch>();
        var keys = source.Tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var p = string.IsNullOrEmpty(componentPrefix) ? null : componentPrefix + ".";
        var stripPrefix = p is not null && keys.Any(k => k.StartsWith(p, StringComparison.Ordinal));

        var groups = new Dictionary<string, (string? A, string? B, string? Bias)>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (stripPrefix && !key.StartsWith(p!, StringComparison.Ordinal))
            {
                ignored.Add(key);
                continue;
            }

            var name = stripPrefix ? key[p!.Length..] : key;
            if (name.EndsWith(".dora_scale", StringComparison.Ordinal))
            {
                ignored.Add(key);
                continue;
            }

            if (!LoraKey.TryParse(name, out var parsed))
            {
                unmatched.Add(key);
                continue;
            }

            groups.TryGetValue(parsed.Module, out var g);
            ref var slot = ref parsed.IsA ? ref g.A : ref (parsed.Parameter == "bias" ? ref g.Bias : ref g.B);
            if (slot is not null)
            {
                unmatched.Add(key); // the same tensor under a second name (e.g. lora_A and lora.down)
                continue;
            }

            slot = key;
            groups[parsed.Module] = g;
        }

        var layers = LoraAdapters.Layers(model).ToDictionary(l => l.Name, l => l.Layer, StringComparer.Ordinal);
        var planned = new List<PlannedModule>();
        foreach (var (module, (a, b, bias)) in groups)
        {
            var groupKeys = new[] { a, b, bias }.OfType<string>().ToList();
            if (!layers.TryGetValue(module, out var layer) || (bias is not null && layer.Bias is null))
            {
                unmatched.AddRange(groupKeys);
                continue;
            }

            if (a is null || b is null)
            {
                // Name the tensor that is not there, in the file's own spelling, rather than blame the one that is.
                var present = a ?? b ?? bias!;
                missing.Add(a is null ? Partner(present, "lora_A") : Partner(present, "lora_B"));
                continue;
            }

            var wrong = groupKeys.Where(k => SafetensorsDType.KindOf(source.Tensors[k].DType) != "floating point").ToList();
            if (wrong.Count > 0)
            {
                wrongDTypes.AddRange(wrong.Select(k => new DTypeMismatch(k, "floating point", source.Tensors[k].DType)));
                continue;
            }

            var aShape = source.Tensors[a].Shape;
            var bShape = source.Tensors[b].Shape;
            var rank = aShape.Length > 0 ? (int)aShape[0] : 0;
            var before = mismatched.Count;
            CheckShape(mismatched, a, layer.AdapterAShape(Math.Max(rank, 1)), aShape);
            CheckShape(mismatched, b, layer.AdapterBShape(Math.Max(rank, 1)), bShape);
            if (bias is not null)
            {
                CheckShape(mismatched, bias, [layer.AdapterBShape(1)[0]], source.Tensors[bias].Shape);
            }

            if (mismatched.Count == before && rank > 0)
            {
                planned.Add(new PlannedModule(module, layer, rank, a, b, bias));
            }
        }

        unmatched.Sort(StringComparer.Ordinal);
        missing.Sort(StringComparer.Ordinal);
        return new LoadPlan(planned, unmatched, mismatched, ignored, missing, wrongDTypes);
    }

    private static void CheckShape(List<ShapeMismatch> mismatched, string key, long[] expected, long[] actual)
    {
        if (!expected.SequenceEqual(actual))
        {
            mismatched.Add(new ShapeMismatch(key, expected, actual));
        }
    }

    private static void Fill(ITensorSource source, string key, nn.Module module, string parameter, List<string> nonFinite)
    {
        var target = module.named_parameters(false).First(p => p.name == parameter).parameter;
        using var value = source.Read(key);
        using (no_grad())
        {
            target.copy_(value);
        }

        if (!WeightLoader.IsFinite(value))
        {
            nonFinite.Add(key);
        }
    }

    /// <summary>The key of <paramref name="key"/>'s partner: the same module and spelling, with <paramref name="part"/> (lora_A or lora_B) and .weight.</summary>
    private static string Partner(string key, string part)
    {
        foreach (var (a, b) in new[] { (".lora_A.", ".lora_B."), (".lora.down.", ".lora.up.") })
        {
            int ia = key.LastIndexOf(a, StringComparison.Ordinal);
            int ib = key.LastIndexOf(b, StringComparison.Ordinal);
            int i = Math.Max(ia, ib);
            if (i >= 0)
            {
                var infix = part == "lora_A" ? a : b;
                return key[..i] + infix + "weight";
            }
        }

        return key + $" ({part} partner)";
    }

    private static T MostCommon<T>(IEnumerable<T> values)
        where T : notnull =>
        values.Select((v, i) => (v, i)).GroupBy(x => x.v).OrderByDescending(g => g.Count()).ThenBy(g => g.First().i).First().Key;

    private sealed record PlannedModule(string Module, LoraLayer Layer, int Rank, string AKey, string BKey, string? BiasKey);

    private sealed record LoadPlan(List<PlannedModule> Groups, List<string> Unmatched, List<ShapeMismatch> Mismatched, List<string> Ignored, List<string> Missing, List<DTypeMismatch> WrongDTypes);
}
