using TorchSharp;
using TsdSr.Schedulers;
using static TorchSharp.torch;

namespace TsdSr.Training.Dasm;

/// <summary>
/// The DASM sub-steps of one batch: for sample b and sub-step k, the current index <c>Current[b][k]</c> and the next
/// index <c>Next[b][k]</c>, plus the step weights. With <see cref="DasmBatchMode.FirstSampleForBatch"/> every row is
/// the first sample's.
/// </summary>
public sealed class DasmPlan
{
    /// <summary>Creates a plan (rows are copied).</summary>
    public DasmPlan(IReadOnlyList<int[]> current, IReadOnlyList<int[]> next, IReadOnlyList<double> weights, IReadOnlyList<int> biases)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(biases);
        if (current.Count == 0 || current.Count != next.Count || current.Count != biases.Count)
        {
            throw new ArgumentException("A DASM plan needs one current row, next row and bias per sample.");
        }

        int steps = current[0].Length;
        if (steps == 0 || current.Any(r => r.Length != steps) || next.Any(r => r.Length != steps) || weights.Count < steps)
        {
            throw new ArgumentException($"Every DASM row must have {steps} sub-steps and there must be a weight for each.");
        }

        Current = current.Select(r => (int[])r.Clone()).ToList();
        Next = next.Select(r => (int[])r.Clone()).ToList();
        Weights = weights.Take(steps).ToList();
        Biases = biases.ToList();
    }

    /// <summary>Batch size.</summary>
    public int BatchSize => Current.Count;

    /// <summary>Number of sub-steps.</summary>
    public int SubSteps => Current[0].Length;

    /// <summary>Current schedule index per sample and sub-step (the reference's <c>cur</c>).</summary>
    public IReadOnlyList<int[]> Current { get; }

    /// <summary>Next schedule index per sample and sub-step (the reference's <c>next</c>).</summary>
    public IReadOnlyList<int[]> Next { get; }

    /// <summary>Weight w_k of each sub-step.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>The random bias applied to each sample's right end (0 when off).</summary>
    public IReadOnlyList<int> Biases { get; }

    /// <summary>Current indices of sub-step <paramref name="k"/> for the batch.</summary>
    public long[] CurrentAt(int k) => Current.Select(r => (long)r[Check(k)]).ToArray();

    /// <summary>Next indices of sub-step <paramref name="k"/> for the batch.</summary>
    public long[] NextAt(int k) => Next.Select(r => (long)r[Check(k)]).ToArray();

    /// <summary>σ at the current indices of sub-step k (fp32 [B]), from the scheduler's training view.</summary>
    public Tensor SigmasAt(FlowMatchEulerDiscreteScheduler scheduler, int k, Device? device = null) => Lookup(scheduler, CurrentAt(k), device, sigmas: true);

    /// <summary>σ at the next indices of sub-step k (fp32 [B]).</summary>
    public Tensor NextSigmasAt(FlowMatchEulerDiscreteScheduler scheduler, int k, Device? device = null) => Lookup(scheduler, NextAt(k), device, sigmas: true);

    /// <summary>Model timesteps t = σ·N at the current indices of sub-step k (fp32 [B]).</summary>
    public Tensor TimestepsAt(FlowMatchEulerDiscreteScheduler scheduler, int k, Device? device = null) => Lookup(scheduler, CurrentAt(k), device, sigmas: false);

    private static Tensor Lookup(FlowMatchEulerDiscreteScheduler scheduler, long[] indices, Device? device, bool sigmas)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        using var idx = tensor(indices, ScalarType.Int64);
        var values = sigmas ? scheduler.TrainSigmasAt(idx) : scheduler.TrainTimestepsAt(idx);
        if (device is null || device.type == DeviceType.CPU)
        {
            return values;
        }

        using (values)
        {
            return values.to(device);
        }
    }

    private int Check(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, SubSteps);
        return k;
    }
}
