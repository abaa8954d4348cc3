namespace TsdSr.Losses.Reconstruction;

/// <summary>
/// The data loss of Eq. 7 as the reference computes it (the official TSD-SR training script):
/// <code>
/// img = clamp(D(ẑ / 1.5305), −1, 1)·0.5 + 0.5 ;  hr = hr·0.5 + 0.5
/// L_rec = w_p·mean(P(img, hr)) + w_mse·MSE_mean(float(ẑ), float(z_H))
/// </code>
/// Decoding is the caller's (frozen VAE decoder); this class takes the decoded image in [−1, 1].
/// </summary>
public sealed class ReconstructionLoss
{
    /// <summary>Creates the loss; it does not own <paramref name="perceptual"/>.</summary>
    /// <param name="perceptual">The perceptual distance (LPIPS), or null when <see cref="ReconstructionLossOptions.PerceptualWeight"/> is 0.</param>
    /// <param name="options">Weights; null = the reference.</param>
    /// <exception cref="ArgumentException">The options are invalid, or a perceptual weight is set without a model.</exception>
    public ReconstructionLoss(IPerceptualLoss? perceptual, ReconstructionLossOptions? options = null)
    {
        Options = options ?? ReconstructionLossOptions.Reference;
        Options.Validate();
        if (perceptual is null && Options.PerceptualWeight != 0)
        {
            throw new ArgumentException($"PerceptualWeight is {Options.PerceptualWeight} but no perceptual loss was given.", nameof(perceptual));
        }

        Perceptual = perceptual;
    }

    /// <summary>The perceptual distance, if any.</summary>
    public IPerceptualLoss? Perceptual { get; }

    /// <summary>The weights.</summary>
    public ReconstructionLossOptions Options { get; }

    /// <summary>Computes the loss.</summary>
    /// <param name="studentLatent">ẑ with its graph.</param>
    /// <param name="hrLatent">z_H (detached here).</param>
    /// <param name="decodedStudent">D(ẑ / scaling) in [−1, 1] (clamped here), attached to ẑ's graph; null when the perceptual weight is 0.</param>
    /// <param name="hrImage">The HR image in [−1, 1]; null when the perceptual weight is 0.</param>
    /// <returns>The total and its terms; the caller owns them.</returns>
    /// <exception cref="ArgumentException">Shapes do not match or an image is missing.</exception>
    public ReconstructionLossResult Compute(Tensor studentLatent, Tensor hrLatent, Tensor? decodedStudent = null, Tensor? hrImage = null)
    {
        ArgumentNullException.ThrowIfNull(studentLatent);
        ArgumentNullException.ThrowIfNull(hrLatent);
        if (!studentLatent.shape.SequenceEqual(hrLatent.shape))
        {
            throw new ArgumentException(
                $"HR latent [{string.Join(", ", hrLatent.shape)}] must match the student latent [{string.Join(", ", studentLatent.shape)}].", nameof(hrLatent));
        }

        bool withPerceptual = Options.PerceptualWeight != 0;
        if (withPerceptual && (decodedStudent is null || hrImage is null))
        {
            throw new ArgumentException("The perceptual term needs the decoded student image and the HR image.", nameof(decodedStudent));
        }

        if (withPerceptual && !decodedStudent!.shape.SequenceEqual(hrImage!.shape))
        {
            throw new ArgumentException(
                $"Decoded image [{string.Join(", ", decodedStudent.shape)}] must match the HR image [{string.Join(", ", hrImage.shape)}].", nameof(hrImage));
        }

        using var scope = NewDisposeScope();
        var mse = nn.functional.mse_loss(studentLatent.to(ScalarType.Float32), hrLatent.detach().to(ScalarType.Float32), nn.Reduction.Mean);
        var total = mse.mul(Options.LatentMseWeight);
        Tensor? perceptual = null;
        if (withPerceptual)
        {
            var img = decodedStudent!.clamp(-1.0, 1.0).mul(0.5).add(0.5);
            var hr = hrImage!.detach().mul(0.5).add(0.5);
            perceptual = Perceptual!.Compute(img, hr).to(ScalarType.Float32).mean();
            total = perceptual.mul(Options.PerceptualWeight).add(total);
        }

        return new ReconstructionLossResult(
            total.MoveToOuterDisposeScope(),
            mse.MoveToOuterDisposeScope(),
            perceptual?.MoveToOuterDisposeScope());
    }
}
