using TorchSharp;
using TsdSr.Data.Degradation.Kernels;
using TsdSr.Data.Degradation.Operators;

namespace TsdSr.Data.Degradation;

/// <summary>
/// The Real-ESRGAN second-order degradation on CPU float32 batches [B, 3, H, W] in [0, 1]:
/// blur → random resize → noise → JPEG, a second such stage, then [resize to 1/scale + sinc] and JPEG in random
/// order, and 8-bit rounding. Deterministic given (seed, sample index); see <see cref="DegradationSampler"/>.
/// </summary>
public sealed class RealEsrganDegradation
{
    /// <summary>Creates the pipeline; the configuration is validated.</summary>
    public RealEsrganDegradation(DegradationConfig? config = null)
    {
        Sampler = new DegradationSampler(config ?? DegradationConfig.OSEDiff);
    }

    /// <summary>The configuration.</summary>
    public DegradationConfig Config => Sampler.Config;

    /// <summary>The parameter sampler.</summary>
    public DegradationSampler Sampler { get; }

    /// <summary>
    /// Degrades <paramref name="hr"/> whose samples have global indices <paramref name="firstIndex"/>, … under
    /// <paramref name="seed"/>. Per-sample granularity runs each sample on its own; per-batch runs the batch at once.
    /// </summary>
    public DegradedBatch Degrade(torch.Tensor hr, ulong seed, long firstIndex = 0)
    {
        CheckInput(hr);
        var plans = Sampler.SampleBatch(seed, firstIndex, (int)hr.shape[0]);
        if (plans.Count == 1)
        {
            return Apply(hr, plans[0]);
        }

        var parts = new List<DegradedBatch>(plans.Count);
        try
        {
            for (int i = 0; i < plans.Count; i++)
            {
                using var sample = hr.narrow(0, i, 1);
                parts.Add(Apply(sample, plans[i]));
            }

            return new DegradedBatch(
                torch.cat(parts.Select(p => p.Hr).ToArray(), 0),
                torch.cat(parts.Select(p => p.Lr).ToArray(), 0),
                torch.cat(parts.Select(p => p.LrUpsampled).ToArray(), 0));
        }
        finally
        {
            parts.ForEach(p => p.Dispose());
        }
    }

    /// <summary>Runs the pipeline with the given plan (whose batch size must match).</summary>
    public DegradedBatch Apply(torch.Tensor hr, DegradationPlan plan)
    {
        CheckInput(hr);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.BatchSize != hr.shape[0])
        {
            throw new ArgumentException($"The plan is for {plan.BatchSize} samples, the batch has {hr.shape[0]}.", nameof(plan));
        }

        using var scope = torch.NewDisposeScope();
        int s = Config.Scale;
        long h = hr.shape[2], w = hr.shape[3];
        var gt = Config.SharpenGroundTruth ? UsmSharpener.Apply(hr) : hr.to(torch.ScalarType.Float32).clone();
        torch.Tensor output;
        if (plan.NoDegradation)
        {
            output = Resizer.ToSize(gt, h / s, w / s, ResizeMode.Bicubic);
        }
        else
        {
            // First stage.
            output = Filter2D.Apply(gt, Filter2D.KernelTensor(plan.First.Kernels));
            if (plan.First.ResizeDirection != ResizeDirection.Keep)
            {
                output = Resizer.ByScale(output, plan.First.ResizeScale, plan.First.ResizeMode);
            }

            output = AddNoise(output, plan.First);
            output = JpegRoundTrip.Apply(output.clamp(0f, 1f), plan.First.JpegQualities);

            // Second stage: the resize is relative to the final size, so first-stage scales do not accumulate.
            if (plan.Second.Blur)
            {
                output = Filter2D.Apply(output, Filter2D.KernelTensor(plan.Second.Kernels));
            }

            long h2 = Math.Max(1, (long)((double)h / s * plan.Second.ResizeScale));
            long w2 = Math.Max(1, (long)((double)w / s * plan.Second.ResizeScale));
            output = Resizer.ToSize(output, h2, w2, plan.Second.ResizeMode);
            output = AddNoise(output, plan.Second);

            // Final: [resize + sinc] and JPEG in random order (other orders produce "twisted lines").
            if (plan.ResizeBeforeJpeg)
            {
                output = FinalResizeAndSinc(output, plan, h / s, w / s);
                output = JpegRoundTrip.Apply(output.clamp(0f, 1f), plan.Second.JpegQualities);
            }
            else
            {
                output = JpegRoundTrip.Apply(output.clamp(0f, 1f), plan.Second.JpegQualities);
                output = FinalResizeAndSinc(output, plan, h / s, w / s);
            }
        }

        var lr = Quantizer.To8Bit(output);
        var lrUp = Quantizer.To8Bit(Resizer.ToSize(lr, h, w, ResizeMode.Bicubic));
        return new DegradedBatch(gt.MoveToOuterDisposeScope(), lr.MoveToOuterDisposeScope(), lrUp.MoveToOuterDisposeScope());
    }

    private static torch.Tensor FinalResizeAndSinc(torch.Tensor image, DegradationPlan plan, long height, long width)
    {
        var resized = Resizer.ToSize(image, height, width, plan.FinalResizeMode);
        if (plan.FinalKernels.All(k => k.Type == KernelType.Pulse))
        {
            return resized;
        }

        using var kernels = Filter2D.KernelTensor(plan.FinalKernels);
        return Filter2D.Apply(resized, kernels);
    }

    private static torch.Tensor AddNoise(torch.Tensor image, StagePlan stage) => stage.Noise == NoiseKind.Gaussian
        ? NoiseOps.AddGaussian(image, stage.NoiseStrengths, stage.GrayNoise, stage.NoiseKeys)
        : NoiseOps.AddPoisson(image, stage.NoiseStrengths, stage.GrayNoise, stage.NoiseKeys);

    private void CheckInput(torch.Tensor hr)
    {
        ArgumentNullException.ThrowIfNull(hr);
        if (hr.dim() != 4 || hr.shape[1] != 3 || hr.device_type != DeviceType.CPU)
        {
            throw new ArgumentException($"Expected a CPU RGB batch [B,3,H,W], got [{string.Join(",", hr.shape)}] on {hr.device}.", nameof(hr));
        }

        if (hr.shape[2] % Config.Scale != 0 || hr.shape[3] % Config.Scale != 0 || hr.shape[2] < 4 * Config.Scale || hr.shape[3] < 4 * Config.Scale)
        {
            throw new ArgumentException($"HR size {hr.shape[3]}x{hr.shape[2]} must be a multiple of the scale {Config.Scale} and at least {4 * Config.Scale}.", nameof(hr));
        }
    }
}
