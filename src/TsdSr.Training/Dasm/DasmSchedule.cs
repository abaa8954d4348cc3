using TsdSr.Schedulers;
using TsdSr.Training.Randomness;
using static TorchSharp.torch;

namespace TsdSr.Training.Dasm;

/// <summary>
/// Computes DASM sub-steps as the reference does (the official TSD-SR training script):
/// <c>right = min(idx + s·N + bias, max)</c>, <c>idxs = linspace(idx, right, N + 1).int()</c> (fp32 linspace, truncated
/// toward zero), <c>cur = idxs[:-1]</c>, <c>next = idxs[1:]</c>.
/// </summary>
public sealed class DasmSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public DasmSchedule(DasmOptions? options = null)
    {
        Options = options ?? new DasmOptions();
        Options.Validate();
    }

    /// <summary>The options.</summary>
    public DasmOptions Options { get; }

    /// <summary>
    /// The plan for a batch whose samples were noised at <paramref name="startIndices"/>. Biases are drawn from
    /// <paramref name="generator"/> when <see cref="DasmOptions.UseRandomBias"/> is set: one per sample, or one for the
    /// batch in <see cref="DasmBatchMode.FirstSampleForBatch"/> mode (as the reference).
    /// </summary>
    /// <exception cref="ArgumentException">No index, or an index outside [0, MaxIndex].</exception>
    public DasmPlan Plan(IReadOnlyList<long> startIndices, SeededGenerator? generator)
    {
        ArgumentNullException.ThrowIfNull(startIndices);
        if (startIndices.Count == 0)
        {
            throw new ArgumentException("DASM needs at least one start index.", nameof(startIndices));
        }

        var bad = startIndices.FirstOrDefault(i => i < 0 || i > Options.MaxIndex, -1);
        if (bad != -1)
        {
            throw new ArgumentException($"DASM start index {bad} is outside [0, {Options.MaxIndex}].", nameof(startIndices));
        }

        int batch = startIndices.Count;
        bool shared = Options.BatchMode == DasmBatchMode.FirstSampleForBatch;
        var biases = DrawBiases(generator, shared ? 1 : batch);
        var current = new List<int[]>(batch);
        var next = new List<int[]>(batch);
        var sampleBiases = new List<int>(batch);
        for (int b = 0; b < batch; b++)
        {
            int start = (int)(shared ? startIndices[0] : startIndices[b]);
            int bias = shared ? biases[0] : biases[b];
            var idxs = Indices(start, bias);
            current.Add(idxs[..^1]);
            next.Add(idxs[1..]);
            sampleBiases.Add(bias);
        }

        return new DasmPlan(current, next, Options.StepWeights, sampleBiases);
    }

    /// <summary>The N + 1 truncated linspace indices from <paramref name="start"/> for a given bias.</summary>
    public int[] Indices(int start, int bias)
    {
        int n = Options.ActiveSubSteps;
        long right = Math.Min((long)start + ((long)Options.StepSize * n) + bias, Options.MaxIndex);
        // torch.linspace in fp32 then .int(): exactly the reference's rounding (its kernel fills the second half from the end).
        using var line = linspace(start, right, n + 1, dtype: ScalarType.Float32);
        using var ints = line.to(ScalarType.Int32);
        return ints.data<int>().ToArray();
    }

    private int[] DrawBiases(SeededGenerator? generator, int count)
    {
        if (!Options.UseRandomBias)
        {
            return new int[count];
        }

        ArgumentNullException.ThrowIfNull(generator, nameof(generator));
        using var t = generator.RandInt(Options.BiasMin, (long)Options.BiasMax + 1, count);
        return t.data<long>().Select(v => (int)v).ToArray();
    }
}
