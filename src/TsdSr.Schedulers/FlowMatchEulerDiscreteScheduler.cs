using System.Collections.ObjectModel;
using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Schedulers;

/// <summary>
/// diffusers' <c>FlowMatchEulerDiscreteScheduler</c> (static shift), bit-exact to the reference: the training
/// schedule is computed in fp32, the inference grid in float64 then cast to fp32, and <see cref="Step(Tensor, float, Tensor)"/>
/// updates in fp32. The schedules are kept as <c>float[]</c>; tensor accessors return fresh tensors the caller owns.
/// </summary>
public sealed class FlowMatchEulerDiscreteScheduler
{
    private readonly float[] trainSigmas;
    private readonly float[] trainTimesteps;
    private float[] sigmas;
    private float[] timesteps;

    /// <summary>Builds the training schedule.</summary>
    /// <param name="config">The configuration; null means <see cref="FlowMatchEulerDiscreteSchedulerConfig.Sd3"/>.</param>
    /// <exception cref="NotSupportedException">The config enables an option this port does not implement.</exception>
    public FlowMatchEulerDiscreteScheduler(FlowMatchEulerDiscreteSchedulerConfig? config = null)
    {
        Config = config ?? FlowMatchEulerDiscreteSchedulerConfig.Sd3;
        Config.Validate();

        // Reference: linspace(1, N, N, float32) reversed, σ = t / N, shifted, timesteps = σ·N, all in fp32.
        int n = Config.NumTrainTimesteps;
        float nf = n;
        float shift = (float)Config.Shift;
        float shiftMinusOne = (float)(Config.Shift - 1.0);
        trainSigmas = new float[n];
        trainTimesteps = new float[n];
        for (int i = 0; i < n; i++)
        {
            float s = (float)(n - i) / nf;
            float scaled = shift * s;
            float denominator = 1f + (shiftMinusOne * s);
            s = scaled / denominator;
            trainSigmas[i] = s;
            trainTimesteps[i] = s * nf;
        }

        sigmas = trainSigmas;
        timesteps = trainTimesteps;
        TrainSigmas = Array.AsReadOnly(trainSigmas);
        TrainTimesteps = Array.AsReadOnly(trainTimesteps);
        SigmaMax = trainSigmas[0];
        SigmaMin = trainSigmas[n - 1];
    }

    /// <summary>The configuration.</summary>
    public FlowMatchEulerDiscreteSchedulerConfig Config { get; }

    /// <summary>Largest training sigma (σ[0], 1 for SD3).</summary>
    public float SigmaMax { get; }

    /// <summary>Smallest training sigma (σ[N−1], ≈0.0029940 for SD3).</summary>
    public float SigmaMin { get; }

    /// <summary>
    /// Training schedule σ_i for index i = 0..N−1 (TSD-SR's index view: idx → σ_idx). Unchanged by
    /// <see cref="SetTimesteps"/>.
    /// </summary>
    public ReadOnlyCollection<float> TrainSigmas { get; }

    /// <summary>Training timesteps t_i = σ_i·N (fp32), index-aligned with <see cref="TrainSigmas"/>.</summary>
    public ReadOnlyCollection<float> TrainTimesteps { get; }

    /// <summary>
    /// Current sigmas: the training schedule until <see cref="SetTimesteps"/> is called, then the n inference sigmas
    /// plus a trailing 0.
    /// </summary>
    public ReadOnlyCollection<float> Sigmas => Array.AsReadOnly(sigmas);

    /// <summary>Current timesteps (σ·N, fp32) passed to the model, one per step.</summary>
    public ReadOnlyCollection<float> Timesteps => Array.AsReadOnly(timesteps);

    /// <summary>Number of inference steps of the last <see cref="SetTimesteps"/>, or null.</summary>
    public int? NumInferenceSteps { get; private set; }

    /// <summary>Index into <see cref="Sigmas"/> of the next <see cref="Step(Tensor, float, Tensor)"/>, or null before the first step.</summary>
    public int? StepIndex { get; private set; }

    /// <summary>Start index set by <see cref="SetBeginIndex"/> (img2img pipelines), or null.</summary>
    public int? BeginIndex { get; private set; }

    /// <summary>Sets the inference grid: n sigmas between σ_max and σ_min, shifted again, then a trailing 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numInferenceSteps"/> is less than 1.</exception>
    public void SetTimesteps(int numInferenceSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numInferenceSteps, 1);
        int n = Config.NumTrainTimesteps;
        double shift = Config.Shift;
        var grid = Linspace((double)SigmaMax * n, (double)SigmaMin * n, numInferenceSteps);
        var newSigmas = new float[numInferenceSteps + 1];
        var newTimesteps = new float[numInferenceSteps];
        for (int i = 0; i < numInferenceSteps; i++)
        {
            // float64 as in the reference (numpy), shift applied to the already-shifted endpoints, then one cast.
            double s = grid[i] / n;
            double scaled = shift * s;
            double denominator = 1.0 + ((shift - 1.0) * s);
            float sf = (float)(scaled / denominator);
            newSigmas[i] = sf;
            newTimesteps[i] = sf * (float)n;
        }

        newSigmas[numInferenceSteps] = 0f;
        sigmas = newSigmas;
        timesteps = newTimesteps;
        NumInferenceSteps = numInferenceSteps;
        StepIndex = null;
        BeginIndex = null;
    }

    /// <summary>Sets the index of the first step (img2img pipelines start part-way through the schedule).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not a valid step index.</exception>
    public void SetBeginIndex(int beginIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(beginIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(beginIndex, timesteps.Length);
        BeginIndex = beginIndex;
    }

    /// <summary>
    /// Index of <paramref name="timestep"/> in <see cref="Timesteps"/>, compared exactly in fp32. When the value occurs
    /// more than once the second occurrence is returned, as in the reference.
    /// </summary>
    /// <exception cref="ArgumentException">The timestep is not in the schedule.</exception>
    public int IndexForTimestep(float timestep)
    {
        int first = -1;
        for (int i = 0; i < timesteps.Length; i++)
        {
            if (timesteps[i] == timestep)
            {
                if (first >= 0)
                {
                    return i;
                }

                first = i;
            }
        }

        return first >= 0
            ? first
            : throw new ArgumentException(
                $"Timestep {timestep:R} is not in the current schedule ({timesteps.Length} timesteps, {timesteps[0]:R} … {timesteps[^1]:R}).",
                nameof(timestep));
    }

    /// <summary>
    /// One Euler step x_next = x + (σ[i+1] − σ[i])·v. The sample is upcast to fp32 for the update and the result is cast
    /// to the model output's dtype. The first call finds the step index from <paramref name="timestep"/> (or uses
    /// <see cref="BeginIndex"/>); later calls advance it by one.
    /// </summary>
    /// <param name="modelOutput">The predicted velocity v.</param>
    /// <param name="timestep">The timestep passed to the model (an element of <see cref="Timesteps"/>).</param>
    /// <param name="sample">The current latents x.</param>
    /// <returns>A new tensor the caller owns.</returns>
    /// <exception cref="ArgumentException">The timestep is not in the schedule, or shapes do not broadcast.</exception>
    /// <exception cref="InvalidOperationException">The schedule has no step left.</exception>
    public Tensor Step(Tensor modelOutput, float timestep, Tensor sample)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        ArgumentNullException.ThrowIfNull(sample);
        if (!modelOutput.is_floating_point() || !sample.is_floating_point())
        {
            throw new ArgumentException("Step expects floating-point model output and sample tensors.");
        }

        int index = StepIndex ?? BeginIndex ?? IndexForTimestep(timestep);
        if (index + 1 >= sigmas.Length)
        {
            throw new InvalidOperationException(
                $"No step left: step index {index} has no next sigma (schedule of {sigmas.Length} sigmas). Call SetTimesteps first.");
        }

        // The reference multiplies a 0-d fp32 (σ_next − σ) into model_output (kept in its dtype), adds the fp32 sample,
        // then casts back. The same two rounded ops are used here.
        float delta = sigmas[index + 1] - sigmas[index];
        Tensor result;
        using (NewDisposeScope())
        {
            var x = sample.to(ScalarType.Float32);
            var update = modelOutput.mul(delta);
            result = x.add(update).to(modelOutput.dtype).MoveToOuterDisposeScope();
        }

        StepIndex = index + 1;
        return result;
    }

    /// <summary>
    /// <see cref="Step(Tensor, float, Tensor)"/> with the timestep as a one-element tensor (as pipelines pass it).
    /// </summary>
    /// <exception cref="ArgumentException">The timestep is an integer tensor or has more than one element.</exception>
    public Tensor Step(Tensor modelOutput, Tensor timestep, Tensor sample)
    {
        ArgumentNullException.ThrowIfNull(timestep);
        if (!timestep.is_floating_point())
        {
            throw new ArgumentException(
                "Integer timesteps are not supported: pass one of the scheduler's float Timesteps (σ·N), not an index.", nameof(timestep));
        }

        if (timestep.numel() != 1)
        {
            throw new ArgumentException($"Expected a single timestep, got a tensor of shape [{string.Join(", ", timestep.shape)}].", nameof(timestep));
        }

        if (timestep.dtype == ScalarType.Float64)
        {
            // The reference compares in float64 here: a double that is not exactly an fp32 timestep matches nothing.
            double d = timestep.item<double>();
            if ((double)(float)d != d)
            {
                throw new ArgumentException($"Timestep {d:R} (float64) is not in the current schedule.", nameof(timestep));
            }

            return Step(modelOutput, (float)d, sample);
        }

        using var t32 = timestep.to(ScalarType.Float32);
        return Step(modelOutput, t32.item<float>(), sample);
    }

    /// <summary>
    /// Forward (noising) process x_σ = σ·noise + (1 − σ)·x0 for one σ shared by the batch. σ is cast to the sample's
    /// dtype first, as in the reference.
    /// </summary>
    /// <returns>A new tensor the caller owns.</returns>
    public static Tensor ScaleNoise(Tensor sample, float sigma, Tensor noise)
    {
        ArgumentNullException.ThrowIfNull(sample);
        using var s = tensor(new[] { sigma }, ScalarType.Float32, sample.device);
        return ScaleNoise(sample, s, noise);
    }

    /// <summary>
    /// Forward (noising) process x_σ = σ·noise + (1 − σ)·x0 with one σ per batch element (shape [B] or [1]), or a
    /// scalar σ. σ is cast to the sample's dtype and broadcast over the remaining dimensions, as in the reference.
    /// </summary>
    /// <returns>A new tensor the caller owns.</returns>
    /// <exception cref="ArgumentException">Shapes do not match.</exception>
    public static Tensor ScaleNoise(Tensor sample, Tensor sigma, Tensor noise)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(sigma);
        ArgumentNullException.ThrowIfNull(noise);
        if (!sample.shape.SequenceEqual(noise.shape))
        {
            throw new ArgumentException(
                $"Sample [{string.Join(", ", sample.shape)}] and noise [{string.Join(", ", noise.shape)}] must have the same shape.", nameof(noise));
        }

        long count = sigma.numel();
        if (sample.dim() == 0 || count != 1 && count != sample.shape[0])
        {
            throw new ArgumentException(
                $"Sigma must have 1 or batch-size ({(sample.dim() == 0 ? 0 : sample.shape[0])}) elements, got {count}.", nameof(sigma));
        }

        using var scope = NewDisposeScope();
        var shape = new long[sample.dim()];
        Array.Fill(shape, 1L);
        shape[0] = count;
        var s = sigma.to(sample.dtype, sample.device).flatten().reshape(shape);
        var oneMinus = s.neg().add(1.0);
        return s.mul(noise).add(oneMinus.mul(sample)).MoveToOuterDisposeScope();
    }

    /// <summary>Training sigmas for a batch of schedule indices (TSD-SR: σ_idx for idx ∈ [0, N)).</summary>
    /// <param name="indices">Integer tensor of indices, any shape.</param>
    /// <returns>A new fp32 tensor of the same shape, on the indices' device.</returns>
    /// <exception cref="ArgumentException">The tensor is not integral or an index is out of range.</exception>
    public Tensor TrainSigmasAt(Tensor indices) => Gather(trainSigmas, indices);

    /// <summary>Training timesteps σ_idx·N for a batch of schedule indices.</summary>
    /// <returns>A new fp32 tensor of the same shape, on the indices' device.</returns>
    /// <exception cref="ArgumentException">The tensor is not integral or an index is out of range.</exception>
    public Tensor TrainTimestepsAt(Tensor indices) => Gather(trainTimesteps, indices);

    /// <summary>The current <see cref="Sigmas"/> as a new fp32 tensor.</summary>
    public Tensor SigmasTensor(Device? device = null) => tensor(sigmas, ScalarType.Float32, device);

    /// <summary>The current <see cref="Timesteps"/> as a new fp32 tensor.</summary>
    public Tensor TimestepsTensor(Device? device = null) => tensor(timesteps, ScalarType.Float32, device);

    /// <summary>The training sigmas as a new fp32 tensor [N].</summary>
    public Tensor TrainSigmasTensor(Device? device = null) => tensor(trainSigmas, ScalarType.Float32, device);

    /// <summary>The training timesteps as a new fp32 tensor [N].</summary>
    public Tensor TrainTimestepsTensor(Device? device = null) => tensor(trainTimesteps, ScalarType.Float32, device);

    /// <summary>numpy's float64 <c>linspace(start, stop, num)</c>: start + i·step with step = (stop − start)/(num − 1), last = stop.</summary>
    internal static double[] Linspace(double start, double stop, int num)
    {
        var y = new double[num];
        if (num == 1)
        {
            y[0] = start;
            return y;
        }

        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++)
        {
            double v = i * step;
            y[i] = v + start;
        }

        y[num - 1] = stop;
        return y;
    }

    private static Tensor Gather(float[] table, Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.is_floating_point() || indices.dtype == ScalarType.Bool || indices.is_complex())
        {
            throw new ArgumentException($"Indices must be an integer tensor, got {indices.dtype}.", nameof(indices));
        }

        using var scope = NewDisposeScope();
        var idx = indices.to(ScalarType.Int64, CPU);
        if (idx.numel() > 0)
        {
            long min = idx.min().item<long>();
            long max = idx.max().item<long>();
            if (min < 0 || max >= table.Length)
            {
                throw new ArgumentException($"Indices must lie in [0, {table.Length}), got [{min}, {max}].", nameof(indices));
            }
        }

        var values = tensor(table, ScalarType.Float32, CPU);
        var picked = values.index_select(0, idx.flatten()).reshape(indices.shape);
        return picked.to(indices.device).MoveToOuterDisposeScope();
    }
}
