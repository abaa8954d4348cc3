namespace TsdSr.Losses.Reconstruction;

/// <summary>
/// A reconstruction distance that needs no pretrained network: <c>w₁·L1 + w_s·(1 − SSIM) + w_f·FFT-L1</c> on images in
/// [0, 1]. It trains the nano VAE and replaces LPIPS (whose ImageNet backbone is a separate download) as the
/// student's pixel-space term where no backbone is available.
/// </summary>
public sealed class PixelReconstructionLoss : IPerceptualLoss
{
    /// <summary>Creates the loss.</summary>
    /// <exception cref="ArgumentException">The weights are invalid.</exception>
    public PixelReconstructionLoss(PixelLossOptions? options = null)
    {
        Options = options ?? new PixelLossOptions();
        Options.Validate();
    }

    /// <summary>The weights.</summary>
    public PixelLossOptions Options { get; }

    /// <inheritdoc />
    /// <returns>The weighted distance per sample [B].</returns>
    public Tensor Compute(Tensor x, Tensor y) => ComputeTerms(x, y).Total;

    /// <summary>The weighted total and each unweighted term, per sample [B]; the caller owns them.</summary>
    /// <param name="x">Images [B, 3, H, W] in [0, 1], attached to the graph.</param>
    /// <param name="y">Reference images [B, 3, H, W] in [0, 1].</param>
    public (Tensor Total, Tensor L1, Tensor Ssim, Tensor Frequency) ComputeTerms(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        using var scope = NewDisposeScope();
        var target = y.detach();
        var l1 = x.sub(target).abs().mean([1, 2, 3]);
        var ssim = DifferentiableSsim.Compute(x, target);
        var freq = FrequencyDistance.Compute(x, target);
        var total = l1.mul(Options.L1Weight)
            .add(ssim.neg().add(1).mul(Options.SsimWeight))
            .add(freq.mul(Options.FrequencyWeight));
        return (total.MoveToOuterDisposeScope(), l1.MoveToOuterDisposeScope(), ssim.MoveToOuterDisposeScope(), freq.MoveToOuterDisposeScope());
    }
}
