using TorchSharp;
using TorchSharp.Modules;
using TsdSr.Training.Schedules;
using static TorchSharp.torch;

namespace TsdSr.Training.Optimization;

/// <summary>
/// One AdamW over one parameter group (the student, or the fake score) with its learning-rate schedule and gradient
/// clipping: <see cref="Step"/> = clip → AdamW step → schedule → zero grad (the official TSD-SR training script).
/// Create it outside any dispose scope: AdamW allocates its moment buffers at construction.
/// </summary>
public sealed class TrainingOptimizer : IDisposable
{
    private readonly AdamW.ParamGroup group;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="name">A label for logs and checkpoint files (e.g. "student", "fake_score").</param>
    /// <param name="parameters">The trainable parameters (fetch them after any dtype cast: casts replace parameters).</param>
    /// <param name="settings">AdamW settings.</param>
    /// <param name="schedule">Learning-rate schedule (null: constant).</param>
    /// <exception cref="ArgumentException">No parameter, a duplicate, a non-floating or non-trainable parameter, or bad settings.</exception>
    public TrainingOptimizer(string name, IEnumerable<Parameter> parameters, AdamWSettings settings, LrSchedule? schedule = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate(name);
        Schedule = schedule ?? new LrSchedule();
        Schedule.Validate();
        var list = parameters.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException($"Optimizer '{name}' has no parameter.", nameof(parameters));
        }

        if (list.Select(p => p.Handle).Distinct().Count() != list.Count)
        {
            throw new ArgumentException($"Optimizer '{name}' was given the same parameter twice.", nameof(parameters));
        }

        if (list.Any(p => !p.is_floating_point() || !p.requires_grad))
        {
            throw new ArgumentException($"Optimizer '{name}': every parameter must be floating point and require grad.", nameof(parameters));
        }

        Name = name;
        Settings = settings;
        Parameters = list;
        group = new AdamW.ParamGroup(list, settings.LearningRate * Schedule.Factor(0), settings.Beta1, settings.Beta2, settings.Epsilon, settings.WeightDecay);
        Optimizer = new AdamW([group], settings.LearningRate, settings.Beta1, settings.Beta2, settings.Epsilon, settings.WeightDecay);
    }

    /// <summary>The label.</summary>
    public string Name { get; }

    /// <summary>The settings.</summary>
    public AdamWSettings Settings { get; }

    /// <summary>The learning-rate schedule.</summary>
    public LrSchedule Schedule { get; }

    /// <summary>The parameters it updates.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The TorchSharp optimiser.</summary>
    public AdamW Optimizer { get; }

    /// <summary>Optimiser steps taken so far (the schedule position).</summary>
    public long StepCount { get; private set; }

    /// <summary>The learning rate the next <see cref="Step"/> uses.</summary>
    public double CurrentLearningRate => group.LearningRate;

    /// <summary>The gradient norm before clipping at the last <see cref="Step"/> (NaN before the first).</summary>
    public double LastGradNorm { get; private set; } = double.NaN;

    /// <summary>Clips the gradients (global L2 norm over the group), steps AdamW, advances the schedule and zeroes the grads.</summary>
    /// <returns>The gradient norm before clipping (0 when no parameter has a gradient).</returns>
    public double Step()
    {
        var norm = ClipGradients();
        Optimizer.step();
        StepCount++;
        group.LearningRate = Settings.LearningRate * Schedule.Factor(StepCount);
        ZeroGrad();
        LastGradNorm = norm;
        return norm;
    }

    /// <summary>
    /// Scales the gradients so that their global L2 norm (over every parameter of the group together) is at most
    /// <see cref="AdamWSettings.MaxGradNorm"/> (no clipping when that is 0 or less).
    /// </summary>
    /// <returns>The norm before clipping (0 when no parameter has a gradient).</returns>
    public double ClipGradients()
    {
        var withGrad = Parameters.Where(HasGrad).ToList();
        if (withGrad.Count == 0)
        {
            return 0;
        }

        return Settings.MaxGradNorm > 0 ? nn.utils.clip_grad_norm_(withGrad, Settings.MaxGradNorm) : GradNorm(withGrad);
    }

    /// <summary>Zeroes the gradients without stepping.</summary>
    public void ZeroGrad()
    {
        // Not AdamW.zero_grad(): in TorchSharp 0.107 it leaves one tensor handle per parameter undisposed.
        foreach (var p in Parameters)
        {
            using var g = p.grad;
            if (g is not null)
            {
                using var zeroed = g.zero_();
            }
        }
    }

    /// <summary>Writes the optimiser state (moments, step counters, options) and the schedule position.</summary>
    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Name);
        writer.Write(Parameters.Count);
        writer.Write(StepCount);
        Optimizer.save_state_dict(writer);
        writer.Flush();
    }

    /// <summary>Restores a state written by <see cref="SaveState"/> for the same parameter layout.</summary>
    /// <exception cref="InvalidDataException">The state belongs to another optimiser or parameter count, or is truncated.</exception>
    public void LoadState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            var name = reader.ReadString();
            var count = reader.ReadInt32();
            if (name != Name || count != Parameters.Count)
            {
                throw new InvalidDataException($"Optimizer state is for '{name}' with {count} parameters; this is '{Name}' with {Parameters.Count}.");
            }

            var steps = reader.ReadInt64();
            Optimizer.load_state_dict(reader);
            StepCount = steps;
            group.LearningRate = Settings.LearningRate * Schedule.Factor(StepCount);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Optimizer state for '{Name}' is truncated.", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => Optimizer.Dispose();

    private static bool HasGrad(Parameter p)
    {
        using var g = p.grad;
        return g is not null;
    }

    private static double GradNorm(IEnumerable<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        // Summed on the gradients' device, in the same order and precision as before: one transfer per step, not one
        // per parameter (each .item() is a device synchronisation on a GPU).
        Tensor? sum = null;
        foreach (var p in parameters)
        {
            var g = p.grad!;
            var squares = g.to(ScalarType.Float64).pow(2).sum();
            sum = sum is null ? squares : sum.add_(squares.to(sum.device));
        }

        return sum is null ? 0 : Math.Sqrt(sum.item<double>());
    }
}
