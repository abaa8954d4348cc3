using System.Globalization;

namespace TsdSr.Core.Pickle;

/// <summary>Turns the unpickled root object into flat tensor names (nested dict keys joined with '.').</summary>
internal static class PickleTensorTree
{
    /// <summary>Real checkpoints nest a few levels ({"state_dict": {...}}); deeper means a cycle or an attack.</summary>
    private const int MaxDepth = 16;

    public static (Dictionary<string, PickledTensor> Tensors, List<string> Skipped) Flatten(string path, object? root, string rootTensorName)
    {
        var tensors = new Dictionary<string, PickledTensor>(StringComparer.Ordinal);
        var skipped = new List<string>();
        switch (root)
        {
            case PickledTensor t:
                tensors[rootTensorName] = t;
                break;
            case PickleDict d:
                Walk(path, d, "", 0, tensors, skipped);
                break;
            default:
                throw new TorchPickleException(path, $"its root object is a {SafeUnpickler.Describe(root)}; expected a tensor or a dict of tensors.");
        }

        return (tensors, skipped);
    }

    private static void Walk(string path, PickleDict dict, string prefix, int depth, Dictionary<string, PickledTensor> tensors, List<string> skipped)
    {
        if (depth >= MaxDepth)
        {
            throw new TorchPickleException(path, $"dicts nest deeper than {MaxDepth} levels (at '{prefix}').");
        }

        foreach (var (k, v) in dict.Entries)
        {
            var key = k switch
            {
                string s => s,
                long n => n.ToString(CultureInfo.InvariantCulture),
                _ => throw new TorchPickleException(path, $"a dict key under '{prefix}' is a {SafeUnpickler.Describe(k)}, not a string."),
            };
            var name = prefix.Length == 0 ? key : prefix + "." + key;
            switch (v)
            {
                case PickledTensor t:
                    if (!tensors.TryAdd(name, t))
                    {
                        throw new TorchPickleException(path, $"tensor name '{name}' occurs twice.");
                    }

                    break;
                case PickleDict inner:
                    Walk(path, inner, name, depth + 1, tensors, skipped);
                    break;
                default:
                    skipped.Add($"{name} ({SafeUnpickler.Describe(v)})");
                    break;
            }
        }
    }
}
