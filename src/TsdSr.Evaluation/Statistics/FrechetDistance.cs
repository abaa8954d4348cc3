using static TorchSharp.torch;

namespace TsdSr.Evaluation.Statistics;

/// <summary>
/// Fréchet distance between two Gaussians fitted to feature sets — the formula of FID — in float64:
/// <c>‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2·tr sqrtm(Σ1Σ2)</c>.
/// </summary>
/// <remarks>
/// <c>tr sqrtm(Σ1Σ2)</c> is computed as <c>Σ sqrt(λ_i)</c> over the eigenvalues of the symmetric PSD matrix
/// <c>Σ1^½ Σ2 Σ1^½</c> (similar to Σ1Σ2), with <c>Σ1^½</c> from a symmetric eigendecomposition and eigenvalues
/// below D·ε·λmax (round-off of zeros) set to 0. Unlike a general <c>sqrtm</c>, this needs no complex arithmetic and stays
/// stable for the rank-deficient covariances of small sets (N ≪ 2048).
/// </remarks>
public static class FrechetDistance
{
    /// <summary>Fréchet distance between the Gaussians of two feature matrices [N1, D] and [N2, D] (rows = samples).</summary>
    /// <exception cref="ArgumentException">Not 2-D, different feature sizes, or fewer than 2 samples.</exception>
    public static double FromFeatures(Tensor features1, Tensor features2)
    {
        ArgumentNullException.ThrowIfNull(features1);
        ArgumentNullException.ThrowIfNull(features2);
        if (features1.dim() != 2 || features2.dim() != 2 || features1.shape[1] != features2.shape[1])
        {
            throw new ArgumentException($"Expected two [N, D] feature matrices with the same D; got [{string.Join(", ", features1.shape)}] and [{string.Join(", ", features2.shape)}].");
        }

        if (features1.shape[0] < 2 || features2.shape[0] < 2)
        {
            throw new ArgumentException("Each feature set needs at least 2 samples for a covariance.");
        }

        using var scope = NewDisposeScope();
        var (mu1, s1) = Moments(features1.to(float64).cpu());
        var (mu2, s2) = Moments(features2.to(float64).cpu());
        return FromMoments(mu1, s1, mu2, s2);
    }

    /// <summary>Fréchet distance from means [D] and covariances [D, D].</summary>
    public static double FromMoments(Tensor mean1, Tensor covariance1, Tensor mean2, Tensor covariance2)
    {
        ArgumentNullException.ThrowIfNull(mean1);
        ArgumentNullException.ThrowIfNull(covariance1);
        ArgumentNullException.ThrowIfNull(mean2);
        ArgumentNullException.ThrowIfNull(covariance2);
        using var scope = NewDisposeScope();
        var m1 = mean1.to(float64).cpu();
        var m2 = mean2.to(float64).cpu();
        var c1 = Symmetrize(covariance1.to(float64).cpu());
        var c2 = Symmetrize(covariance2.to(float64).cpu());
        double meanTerm = (m1 - m2).square().sum().item<double>();
        var (l1, v1) = linalg.eigh(c1);
        var root1 = (v1 * DropNoise(l1).sqrt().unsqueeze(0)).matmul(v1.t());
        var inner = Symmetrize(root1.matmul(c2).matmul(root1));
        double traceSqrt = DropNoise(linalg.eigvalsh(inner)).sqrt().sum().item<double>();
        return meanTerm + c1.trace().item<double>() + c2.trace().item<double>() - (2 * traceSqrt);
    }

    /// <summary>Row mean and unbiased (N − 1) covariance, as <c>np.cov(x, rowvar=False)</c>.</summary>
    internal static (Tensor Mean, Tensor Covariance) Moments(Tensor x)
    {
        var mu = x.mean([0]);
        var centred = x - mu;
        return (mu, centred.t().matmul(centred) / (x.shape[0] - 1));
    }

    /// <summary>Eigenvalues below <c>D·ε·λmax</c> are round-off of a zero eigenvalue: set them to 0 before the square root.</summary>
    private static Tensor DropNoise(Tensor eigenvalues)
    {
        double tol = eigenvalues.shape[0] * 2.220446049250313e-16 * eigenvalues.abs().max().item<double>();
        return eigenvalues.where(eigenvalues > tol, 0.0);
    }

    private static Tensor Symmetrize(Tensor m) => (m + m.t()) / 2;
}
