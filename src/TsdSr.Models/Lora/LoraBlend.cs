using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;
using static TorchSharp.torch;

namespace TsdSr.Models.Lora;

/// <summary>
/// Weight-space arithmetic on LoRA files of one layout: every tensor of the result is <c>Σ wᵢ · tensorᵢ</c>, taken
/// factor by factor (<c>lora_A</c> and <c>lora_B</c> separately), so the result keeps the inputs' rank and size.
/// </summary>
/// <remarks>
/// With weights that sum to 1 this interpolates between adapters (weight averaging) or, with a weight above 1 and a
/// negative one, extrapolates along the difference of two fine-tunes from one start (task-vector arithmetic). Taken
/// factor by factor, the product <c>B·A</c> of the result is not the weighted sum of the inputs' products; the two agree
/// to first order when the inputs lie close together, as fine-tunes of one adapter do. The result is a different model
/// and needs its own evaluation. All inputs must have the same keys, shapes and LoRA configuration (rank and alpha).
/// </remarks>
public static class LoraBlend
{
    private const int ListedNames = 8;

    /// <summary>Combines the terms' tensors. The caller owns the returned tensors (stored dtype of the first term).</summary>
    /// <param name="terms">(weight, source) pairs; at least one, every weight finite.</param>
    /// <returns>The combined tensors by name and the first term's metadata.</returns>
    /// <exception cref="ArgumentException">No terms, a weight that is not finite.</exception>
    /// <exception cref="LoraBlendException">The sources differ in keys, shapes, dtypes or LoRA configuration, or the result is not finite.</exception>
    public static (Dictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Combine(IReadOnlyList<(double Weight, ITensorSource Source)> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
        {
            throw new ArgumentException("A blend needs at least one term.", nameof(terms));
        }

        foreach (var (weight, source) in terms)
        {
            ArgumentNullException.ThrowIfNull(source);
            if (!double.IsFinite(weight))
            {
                throw new ArgumentException($"The weight of '{source.Description}' is {weight}; weights must be finite numbers.", nameof(terms));
            }
        }

        var problems = Check(terms);
        if (problems.Count > 0)
        {
            throw new LoraBlendException(problems);
        }

        var first = terms[0].Source;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var nonFinite = new List<string>();
        try
        {
            foreach (var name in first.Tensors.Keys.Order(StringComparer.Ordinal))
            {
                using var scope = NewDisposeScope();
                var stored = first.Read(name);

                // float64 accumulation: a blend of identical inputs with weights summing to 1 gives them back exactly.
                var sum = stored.to(ScalarType.Float64).mul(terms[0].Weight);
                foreach (var (weight, source) in terms.Skip(1))
                {
                    sum = sum.add(source.Read(name).to(ScalarType.Float64).mul(weight));
                }

                var value = sum.to(stored.dtype);
                if (!WeightLoader.IsFinite(value))
                {
                    nonFinite.Add(name);
                }

                result[name] = value.MoveToOuterDisposeScope();
            }
        }
        catch
        {
            Dispose(result);
            throw;
        }

        if (nonFinite.Count > 0)
        {
            Dispose(result);
            throw new LoraBlendException(nonFinite.Select(n => $"'{n}' is not finite in the result (an input holds NaN or infinity, or the weights overflow its dtype).").ToList());
        }

        return (result, first.Metadata);
    }

    /// <summary>Combines LoRA files and writes the result to <paramref name="outputPath"/> (atomically).</summary>
    /// <param name="terms">(weight, path) pairs.</param>
    /// <param name="outputPath">The file to write.</param>
    /// <param name="overwrite">Replace an existing file; without it an existing file is an error and is left as it is.</param>
    /// <exception cref="IOException">The output exists and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="ArgumentException">The output is also an input.</exception>
    /// <exception cref="LoraBlendException">The inputs do not fit together (each difference is listed).</exception>
    public static void Save(IReadOnlyList<(double Weight, string Path)> terms, string outputPath, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        SaveAll([(outputPath, terms)], overwrite);
    }

    /// <summary>
    /// Blends several files (e.g. a student's transformer and VAE adapters) and writes them only once every one has
    /// been combined, so a mismatch in any file leaves no output written.
    /// </summary>
    /// <param name="files">Per output file, its (weight, path) terms.</param>
    /// <param name="overwrite">Replace existing files; without it an existing file is an error and nothing is written.</param>
    /// <exception cref="IOException">An output exists and <paramref name="overwrite"/> is false (all such outputs are named).</exception>
    /// <exception cref="ArgumentException">An output is also an input.</exception>
    /// <exception cref="LoraBlendException">The inputs of some file do not fit together (each difference is listed).</exception>
    public static void SaveAll(IReadOnlyList<(string Output, IReadOnlyList<(double Weight, string Path)> Terms)> files, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Any(f => string.IsNullOrEmpty(f.Output) || f.Terms is null))
        {
            throw new ArgumentException("Every file needs an output path and its terms.", nameof(files));
        }

        var outputs = files.Select(f => Path.GetFullPath(f.Output)).ToList();
        var existing = overwrite ? [] : outputs.Where(File.Exists).ToList();
        if (existing.Count > 0)
        {
            throw new IOException($"{string.Join(", ", existing.Select(e => $"'{e}'"))} {(existing.Count == 1 ? "exists" : "exist")}; not replaced unless asked (overwrite).");
        }

        var inputs = files.SelectMany(f => f.Terms).Select(t => Path.GetFullPath(t.Path)).ToHashSet(StringComparer.Ordinal);
        if (outputs.FirstOrDefault(inputs.Contains) is { } both)
        {
            throw new ArgumentException($"'{both}' is both an input and an output.", nameof(files));
        }

        var results = new List<(string Output, Dictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata)>();
        try
        {
            foreach (var ((_, terms), output) in files.Zip(outputs))
            {
                var sources = new List<(double Weight, ITensorSource Source)>();
                try
                {
                    foreach (var (weight, path) in terms)
                    {
                        sources.Add((weight, SafetensorsFile.Open(path)));
                    }

                    var (tensors, metadata) = Combine(sources);
                    results.Add((output, tensors, new Dictionary<string, string>(metadata)));
                }
                finally
                {
                    sources.ForEach(source => source.Source.Dispose());
                }
            }

            foreach (var (output, tensors, metadata) in results)
            {
                SafetensorsWriter.Save(output, tensors, metadata);
            }
        }
        finally
        {
            results.ForEach(r => Dispose(r.Tensors));
        }
    }

    /// <summary>Every way the sources differ from the first one; empty when they fit together.</summary>
    private static List<string> Check(IReadOnlyList<(double Weight, ITensorSource Source)> terms)
    {
        var problems = new List<string>();
        var first = terms[0].Source;
        foreach (var (_, source) in terms)
        {
            foreach (var (name, info) in source.Tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                if (SafetensorsDType.KindOf(info.DType) != "floating point")
                {
                    problems.Add($"'{name}' in '{source.Description}' is {info.DType}, not a floating-point tensor.");
                }
            }
        }

        first.Metadata.TryGetValue(LoraConfigJson.MetadataKey, out var firstConfig);
        foreach (var (_, source) in terms.Skip(1))
        {
            var missing = first.Tensors.Keys.Where(k => !source.Tensors.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
            var unexpected = source.Tensors.Keys.Where(k => !first.Tensors.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"'{source.Description}' lacks {missing.Count} of the tensors in '{first.Description}': {Names(missing)}.");
            }

            if (unexpected.Count > 0)
            {
                problems.Add($"'{source.Description}' holds {unexpected.Count} extra tensors that '{first.Description}' lacks: {Names(unexpected)}.");
            }

            foreach (var (name, info) in first.Tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                if (source.Tensors.TryGetValue(name, out var other) && !other.Shape.SequenceEqual(info.Shape))
                {
                    problems.Add($"'{name}' is [{string.Join(", ", other.Shape)}] in '{source.Description}' but [{string.Join(", ", info.Shape)}] in '{first.Description}'.");
                }
            }

            // Rank and alpha set each factor's scale: blending factors trained under different scales means nothing.
            source.Metadata.TryGetValue(LoraConfigJson.MetadataKey, out var config);
            if (!SameConfig(config, firstConfig))
            {
                problems.Add($"'{source.Description}' and '{first.Description}' have different LoRA configurations ({LoraConfigJson.MetadataKey}).");
            }
        }

        return problems.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Two metadata configurations are the same JSON value (spacing and key order aside).</summary>
    private static bool SameConfig(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));
        }
        catch (JsonException)
        {
            return string.Equals(a, b, StringComparison.Ordinal);
        }
    }

    /// <summary>The first few names of a list, then how many more: enough to see the pattern without a wall of keys.</summary>
    private static string Names(IReadOnlyList<string> names) =>
        names.Count <= ListedNames ? string.Join(", ", names) : $"{string.Join(", ", names.Take(ListedNames))} … and {names.Count - ListedNames} more";

    private static void Dispose(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }

        tensors.Clear();
    }
}
