namespace TsdSr.Data.Degradation;

/// <summary>Probabilities of the six mixed kernel families (used when the sinc branch is not taken); they must sum to 1.</summary>
/// <param name="Isotropic">Isotropic Gaussian.</param>
/// <param name="Anisotropic">Anisotropic Gaussian.</param>
/// <param name="GeneralizedIsotropic">Isotropic generalised Gaussian.</param>
/// <param name="GeneralizedAnisotropic">Anisotropic generalised Gaussian.</param>
/// <param name="PlateauIsotropic">Isotropic plateau.</param>
/// <param name="PlateauAnisotropic">Anisotropic plateau.</param>
public sealed record KernelTypeProbabilities(
    double Isotropic,
    double Anisotropic,
    double GeneralizedIsotropic,
    double GeneralizedAnisotropic,
    double PlateauIsotropic,
    double PlateauAnisotropic)
{
    /// <summary>Real-ESRGAN x4plus: 0.45 / 0.25 / 0.12 / 0.03 / 0.12 / 0.03.</summary>
    public static KernelTypeProbabilities RealEsrgan { get; } = new(0.45, 0.25, 0.12, 0.03, 0.12, 0.03);

    /// <summary>The kernel families in the order of <see cref="ToArray"/>.</summary>
    public static IReadOnlyList<KernelType> Types { get; } =
    [
        KernelType.Isotropic, KernelType.Anisotropic, KernelType.GeneralizedIsotropic,
        KernelType.GeneralizedAnisotropic, KernelType.PlateauIsotropic, KernelType.PlateauAnisotropic,
    ];

    /// <summary>The probabilities in the order of <see cref="Types"/>.</summary>
    public double[] ToArray() => [Isotropic, Anisotropic, GeneralizedIsotropic, GeneralizedAnisotropic, PlateauIsotropic, PlateauAnisotropic];

    /// <summary>Probability of <paramref name="type"/> (0 for sinc and pulse).</summary>
    public double Of(KernelType type)
    {
        int i = Types.ToList().IndexOf(type);
        return i < 0 ? 0 : ToArray()[i];
    }

    internal void Validate(string name)
    {
        var p = ToArray();
        if (p.Any(v => !double.IsFinite(v) || v < 0) || Math.Abs(p.Sum() - 1) > 1e-9)
        {
            throw new ArgumentException($"{name} must be six non-negative probabilities summing to 1, got {string.Join(", ", p)}.", name);
        }
    }
}
