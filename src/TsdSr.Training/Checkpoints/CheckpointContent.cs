using TsdSr.Training.Optimization;
using TsdSr.Training.Randomness;

namespace TsdSr.Training.Checkpoints;

/// <summary>
/// The live training objects a checkpoint saves and restores: adapters, optimisers (with their schedule positions),
/// seeded generators, the global step, and free-form values (e.g. the data sampler position).
/// </summary>
public sealed class CheckpointContent
{
    /// <summary>Trainable adapters.</summary>
    public IReadOnlyList<AdapterSlot> Adapters { get; init; } = [];

    /// <summary>Models trained in full (their whole state dicts).</summary>
    public IReadOnlyList<ModuleSlot> Modules { get; init; } = [];

    /// <summary>Optimisers, identified by <see cref="TrainingOptimizer.Name"/>.</summary>
    public IReadOnlyList<TrainingOptimizer> Optimizers { get; init; } = [];

    /// <summary>Seeded generators by name.</summary>
    public IReadOnlyDictionary<string, SeededGenerator> Generators { get; init; } = new Dictionary<string, SeededGenerator>();

    /// <summary>Completed training steps (saved as is, restored by <see cref="CheckpointManager.TryResume"/>).</summary>
    public long GlobalStep { get; set; }

    /// <summary>Extra values saved with the checkpoint and restored into this dictionary.</summary>
    public Dictionary<string, string> Extra { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Checks labels and names are usable as file names and unique.</summary>
    /// <exception cref="ArgumentException">A label or name is empty, repeated or has other characters.</exception>
    public void Validate()
    {
        Check(Adapters.Select(a => a.Label), "adapter label");
        Check(Modules.Select(m => m.Label), "module label");
        Check(Optimizers.Select(o => o.Name), "optimizer name");
        Check(Generators.Keys, "generator name");
    }

    private static void Check(IEnumerable<string> names, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in names)
        {
            if (string.IsNullOrEmpty(n) || !n.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw new ArgumentException($"The {what} '{n}' must be non-empty and use only letters, digits, '_' and '-'.");
            }

            if (!seen.Add(n))
            {
                throw new ArgumentException($"The {what} '{n}' appears twice.");
            }
        }
    }
}
