namespace TsdSr.Losses.Reconstruction;

/// <summary>A weighted sum of perceptual distances (e.g. LPIPS and <see cref="PixelReconstructionLoss"/>); it does not own them.</summary>
public sealed class WeightedPerceptualLoss : IPerceptualLoss
{
    private readonly (IPerceptualLoss Loss, double Weight)[] terms;

    /// <summary>Creates the sum.</summary>
    /// <exception cref="ArgumentException">No term, or a weight that is not finite and ≥ 0.</exception>
    public WeightedPerceptualLoss(params (IPerceptualLoss Loss, double Weight)[] terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Length == 0 || terms.Any(t => t.Loss is null || !double.IsFinite(t.Weight) || t.Weight < 0))
        {
            throw new ArgumentException("A weighted perceptual loss needs at least one term, each with a finite weight >= 0.", nameof(terms));
        }

        this.terms = terms;
    }

    /// <inheritdoc />
    public Tensor Compute(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        Tensor? total = null;
        foreach (var (loss, weight) in terms)
        {
            var term = loss.Compute(x, y).reshape(-1).mul(weight);
            total = total is null ? term : total.add(term);
        }

        return total!.MoveToOuterDisposeScope();
    }
}
