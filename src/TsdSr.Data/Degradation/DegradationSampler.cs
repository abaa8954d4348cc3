using TsdSr.Data.Degradation.Kernels;
using TsdSr.Data.Random;

namespace TsdSr.Data.Degradation;

/// <summary>
/// Draws <see cref="DegradationPlan"/>s from a <see cref="DegradationConfig"/>. Sample i's own draws depend only on
/// (seed, i); batch-shared draws depend on (seed, index of the batch's first sample). Nothing touches TorchSharp's
/// global generator, so plans are identical on every machine and thread schedule.
/// </summary>
public sealed class DegradationSampler
{
    private const ulong SampleStream = 0;
    private const ulong BatchStream = 1;

    /// <summary>Creates a sampler; the configuration is validated.</summary>
    public DegradationSampler(DegradationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Validate();
    }

    /// <summary>The configuration.</summary>
    public DegradationConfig Config { get; }

    /// <summary>
    /// Plans for samples <paramref name="firstIndex"/> … + <paramref name="count"/> − 1: one plan for the batch when
    /// the granularity is per batch, otherwise one single-sample plan each.
    /// </summary>
    public IReadOnlyList<DegradationPlan> SampleBatch(ulong seed, long firstIndex, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (Config.Granularity == RandomnessGranularity.PerBatch)
        {
            return [Sample(seed, firstIndex, count)];
        }

        return Enumerable.Range(0, count).Select(i => Sample(seed, firstIndex + i, 1)).ToArray();
    }

    /// <summary>One plan whose batch-shared choices are shared by <paramref name="batchSize"/> samples.</summary>
    public DegradationPlan Sample(ulong seed, long firstIndex, int batchSize = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(firstIndex);
        var batch = new CounterRng(seed, ((ulong)firstIndex << 1) | BatchStream);
        var samples = Enumerable.Range(0, batchSize)
            .Select(b => new CounterRng(seed, ((ulong)(firstIndex + b) << 1) | SampleStream))
            .ToArray();

        bool noDegradation = batch.Bernoulli(Config.NoDegradationProbability);
        var first = SampleStage(Config.First, batch, samples, forceBlur: true);
        var second = SampleStage(Config.Second, batch, samples, forceBlur: false);
        var finalKernels = samples.Select(SampleFinalKernel).ToArray();
        var finalMode = Config.First.Resize.Modes[batch.NextInt(Config.First.Resize.Modes.Count)];
        bool resizeFirst = batch.Bernoulli(Config.ResizeBeforeJpegProbability);
        return new DegradationPlan(batchSize, noDegradation, first, second, finalKernels, finalMode, resizeFirst);
    }

    /// <summary>One blur kernel drawn per <paramref name="blur"/> (sinc with its probability, else a mixed kernel).</summary>
    public static KernelParameters SampleKernel(BlurConfig blur, CounterRng rng)
    {
        ArgumentNullException.ThrowIfNull(blur);
        ArgumentNullException.ThrowIfNull(rng);
        int size = SampleSize(blur.MinKernelSize, blur.MaxKernelSize, rng);
        if (rng.Bernoulli(blur.SincProbability))
        {
            // Small kernels cannot represent very low cut-offs, hence the narrower range below 13 taps.
            double cutoff = size < 13 ? rng.Uniform(Math.PI / 3, Math.PI) : rng.Uniform(Math.PI / 5, Math.PI);
            return new KernelParameters(KernelType.Sinc, size, Cutoff: cutoff);
        }

        var type = KernelTypeProbabilities.Types[rng.Choose(blur.Types.ToArray())];
        bool iso = type is KernelType.Isotropic or KernelType.GeneralizedIsotropic or KernelType.PlateauIsotropic;
        double sx = rng.Uniform(blur.Sigma.Min, blur.Sigma.Max);
        double sy = iso ? sx : rng.Uniform(blur.Sigma.Min, blur.Sigma.Max);
        double theta = iso ? 0 : rng.Uniform(blur.Rotation.Min, blur.Rotation.Max);
        double beta = type switch
        {
            KernelType.GeneralizedIsotropic or KernelType.GeneralizedAnisotropic => SampleBeta(blur.BetaGaussian, rng),
            KernelType.PlateauIsotropic or KernelType.PlateauAnisotropic => SampleBeta(blur.BetaPlateau, rng),
            _ => 1,
        };
        return new KernelParameters(type, size, sx, sy, theta, beta);
    }

    private static int SampleSize(int min, int max, CounterRng rng) => min + (2 * rng.NextInt(((max - min) / 2) + 1));

    private static double SampleBeta(ValueRange range, CounterRng rng) =>
        rng.Bernoulli(0.5) ? rng.Uniform(range.Min, 1) : rng.Uniform(1, range.Max);

    private KernelParameters SampleFinalKernel(CounterRng rng)
    {
        int size = SampleSize(Config.First.Blur.MinKernelSize, Config.First.Blur.MaxKernelSize, rng);
        double cutoff = rng.Uniform(Config.FinalSincCutoff.Min, Config.FinalSincCutoff.Max);
        return rng.Bernoulli(Config.FinalSincProbability)
            ? new KernelParameters(KernelType.Sinc, size, Cutoff: cutoff)
            : KernelParameters.Pulse();
    }

    private static StagePlan SampleStage(DegradationStageConfig stage, CounterRng batch, CounterRng[] samples, bool forceBlur)
    {
        bool blur = forceBlur || batch.Bernoulli(stage.BlurProbability);
        var kernels = samples.Select(r => SampleKernel(stage.Blur, r)).ToArray();

        var resize = stage.Resize;
        var direction = (ResizeDirection)batch.Choose([resize.UpProbability, resize.DownProbability, resize.KeepProbability]);
        double scale = direction switch
        {
            ResizeDirection.Up => batch.Uniform(1, resize.Scale.Max),
            ResizeDirection.Down => batch.Uniform(resize.Scale.Min, 1),
            _ => 1,
        };
        var mode = resize.Modes[batch.NextInt(resize.Modes.Count)];

        var noise = batch.Bernoulli(stage.Noise.GaussianProbability) ? NoiseKind.Gaussian : NoiseKind.Poisson;
        var strengths = new double[samples.Length];
        var gray = new bool[samples.Length];
        var keys = new ulong[samples.Length];
        var qualities = new int[samples.Length];
        for (int b = 0; b < samples.Length; b++)
        {
            var r = samples[b];
            strengths[b] = noise == NoiseKind.Gaussian
                ? r.Uniform(stage.Noise.Sigma.Min, stage.Noise.Sigma.Max) / 255.0
                : r.Uniform(stage.Noise.PoissonScale.Min, stage.Noise.PoissonScale.Max);
            gray[b] = r.Bernoulli(stage.Noise.GrayProbability);
            keys[b] = r.NextUInt64();
            qualities[b] = (int)Math.Round(r.Uniform(stage.JpegQuality.Min, stage.JpegQuality.Max), MidpointRounding.ToEven);
        }

        return new StagePlan(blur, kernels, direction, scale, mode, noise, strengths, gray, keys, qualities);
    }
}
