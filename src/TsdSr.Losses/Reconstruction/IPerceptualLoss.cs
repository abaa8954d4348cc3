namespace TsdSr.Losses.Reconstruction;

/// <summary>
/// A differentiable perceptual distance between two image batches in [0, 1] (LPIPS implements it in
/// TsdSr.Evaluation; the reference uses pyiqa <c>lpips</c>, AlexNet v0.1, <c>as_loss=True</c>).
/// </summary>
public interface IPerceptualLoss
{
    /// <summary>The distance between <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <param name="x">Images [B, 3, H, W] in [0, 1], attached to the graph.</param>
    /// <param name="y">Reference images [B, 3, H, W] in [0, 1].</param>
    /// <returns>A scalar or per-sample [B] (or [B,1,1,1]) distance; the caller owns it and takes its mean.</returns>
    Tensor Compute(Tensor x, Tensor y);
}
