using TorchSharp;
using TsdSr.Core.SafeTensors;

namespace TsdSr.Core.StateDicts;

/// <summary>Loads weights from a tensor source into a module's parameters and buffers, one tensor at a time.</summary>
public static class WeightLoader
{
    /// <summary>
    /// Copies every matching tensor of <paramref name="source"/> into <paramref name="module"/> (converting dtype and
    /// device on copy). Shapes are validated before anything is written, so a failed strict load leaves the module
    /// untouched.
    /// </summary>
    /// <exception cref="WeightLoadException">Strict mode and the file does not match the module exactly.</exception>
    public static WeightLoadReport Load(torch.nn.Module module, ITensorSource source, WeightLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new WeightLoadOptions();

        var targets = module.state_dict()
            .Where(kv => options.ModuleKeyFilter?.Invoke(kv.Key) ?? true)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

        var plan = new List<(string FileKey, string ModuleKey)>();
        var unexpected = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (fileKey, info) in source.Tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var key = options.KeyMap is null ? fileKey : options.KeyMap(fileKey);
            if (key is null)
            {
                continue;
            }

            if (!targets.TryGetValue(key, out var target))
            {
                unexpected.Add(key);
                continue;
            }

            if (!seen.Add(key))
            {
                throw new InvalidOperationException($"Two tensors in '{source.Description}' map to module key '{key}'.");
            }

            if (!target.shape.SequenceEqual(info.Shape))
            {
                mismatched.Add(new ShapeMismatch(key, target.shape, info.Shape));
                continue;
            }

            plan.Add((fileKey, key));
        }

        var missing = targets.Keys.Where(k => !seen.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var report = new WeightLoadReport(source.Description, plan.Select(p => p.ModuleKey).ToList(), missing, unexpected, mismatched);
        if (options.Strict && !report.IsExact)
        {
            throw new WeightLoadException(report);
        }

        for (int i = 0; i < plan.Count; i++)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            source.ReadInto(plan[i].FileKey, targets[plan[i].ModuleKey]);
            options.Progress?.Report((i + 1, plan.Count));
        }

        return report;
    }

    /// <summary>Opens <paramref name="path"/> (a safetensors file, or a sharded index) and loads it into the module.</summary>
    public static WeightLoadReport Load(torch.nn.Module module, string path, WeightLoadOptions? options = null)
    {
        using var source = TensorSources.Open(path);
        return Load(module, source, options);
    }
}
