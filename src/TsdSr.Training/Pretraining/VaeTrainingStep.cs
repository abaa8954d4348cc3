using System.Diagnostics;
using TsdSr.Losses.Reconstruction;
using TsdSr.Models.Autoencoders;
using TsdSr.Training.Data;
using TsdSr.Training.Optimization;
using TsdSr.Training.Randomness;
using static TorchSharp.torch;

namespace TsdSr.Training.Pretraining;

/// <summary>
/// One VAE step: encode the HR crop (in [−1, 1]), draw a posterior sample, decode, and minimise the backbone-free pixel
/// distance (<see cref="PixelReconstructionLoss"/>) between the reconstruction (mapped to [0, 1], unclamped so that the
/// gradient never vanishes) and the crop, plus <c>kl_weight</c> × the mean KL divergence of the posterior from N(0, I).
/// </summary>
public sealed class VaeTrainingStep : PretrainingStep
{
    private readonly PixelReconstructionLoss pixel;
    private readonly double klWeight;
    private readonly Device device;

    /// <summary>Creates the step; it owns the optimiser and the generator, not the VAE.</summary>
    /// <param name="vae">The VAE to train (every parameter).</param>
    /// <param name="pixel">The reconstruction distance.</param>
    /// <param name="klWeight">Weight of the KL term.</param>
    /// <param name="optimizer">The optimiser over every VAE parameter.</param>
    /// <param name="generator">Posterior samples.</param>
    public VaeTrainingStep(AutoencoderKL vae, PixelReconstructionLoss pixel, double klWeight, TrainingOptimizer optimizer, SeededGenerator generator)
        : base("vae", vae ?? throw new ArgumentNullException(nameof(vae)), optimizer, generator)
    {
        Vae = vae;
        this.pixel = pixel ?? throw new ArgumentNullException(nameof(pixel));
        ArgumentOutOfRangeException.ThrowIfNegative(klWeight);
        this.klWeight = klWeight;
        device = vae.parameters().First().device;
    }

    /// <summary>The VAE.</summary>
    public AutoencoderKL Vae { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } =
    [
        PretrainingColumns.LossTotal, PretrainingColumns.LossL1, PretrainingColumns.LossSsim, PretrainingColumns.LossFft,
        PretrainingColumns.LossKl, PretrainingColumns.PsnrRgb, PretrainingColumns.GradNorm, PretrainingColumns.LearningRate,
        PretrainingColumns.StepSeconds,
    ];

    /// <inheritdoc />
    public override IReadOnlyList<string> LossColumns { get; } =
        [PretrainingColumns.LossTotal, PretrainingColumns.LossL1, PretrainingColumns.LossSsim, PretrainingColumns.LossFft, PretrainingColumns.LossKl];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Run(TrainingBatch batch, long step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var clock = Stopwatch.StartNew();
        Vae.train();
        double lr = Optimizer.CurrentLearningRate;
        using var scope = NewDisposeScope();
        var hr = batch.Gt.to(ScalarType.Float32, device);
        Tensor reconstruction;
        Tensor kl;
        using (var posterior = Vae.Encode(hr.mul(2).sub(1)))
        {
            var z = posterior.Sample(Generator.Generator);
            // KL(N(μ, σ²) ‖ N(0, 1)) per element: ½(μ² + σ² − 1 − log σ²).
            kl = posterior.Mean.square().add(posterior.LogVar.exp()).sub(1).sub(posterior.LogVar).mul(0.5).mean();
            reconstruction = Vae.Decode(z).mul(0.5).add(0.5);
        }

        var (total, l1, ssim, freq) = pixel.ComputeTerms(reconstruction, hr);
        var loss = total.mean().add(kl.mul(klWeight));
        loss.backward();
        double norm = Optimizer.Step();
        double psnr;
        using (no_grad())
        {
            var mse = reconstruction.detach().clamp(0, 1).sub(hr).square().mean().item<float>();
            psnr = 10 * Math.Log10(1.0 / Math.Max(mse, 1e-12));
        }

        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [PretrainingColumns.LossTotal] = loss.item<float>(),
            [PretrainingColumns.LossL1] = l1.mean().item<float>(),
            [PretrainingColumns.LossSsim] = 1 - ssim.mean().item<float>(),
            [PretrainingColumns.LossFft] = freq.mean().item<float>(),
            [PretrainingColumns.LossKl] = kl.item<float>(),
            [PretrainingColumns.PsnrRgb] = psnr,
            [PretrainingColumns.GradNorm] = norm,
            [PretrainingColumns.LearningRate] = lr,
            [PretrainingColumns.StepSeconds] = clock.Elapsed.TotalSeconds,
        };
    }
}
