namespace TsdSr.Data.Degradation;

/// <summary>The blur kernel families of Real-ESRGAN.</summary>
public enum KernelType
{
    /// <summary>Isotropic Gaussian (σy = σx, θ = 0).</summary>
    Isotropic,

    /// <summary>Anisotropic Gaussian with rotation θ.</summary>
    Anisotropic,

    /// <summary>Isotropic generalised Gaussian exp(−½·(vᵀΣ⁻¹v)^β).</summary>
    GeneralizedIsotropic,

    /// <summary>Anisotropic generalised Gaussian.</summary>
    GeneralizedAnisotropic,

    /// <summary>Isotropic plateau 1 / (1 + (vᵀΣ⁻¹v)^β).</summary>
    PlateauIsotropic,

    /// <summary>Anisotropic plateau.</summary>
    PlateauAnisotropic,

    /// <summary>2-D sinc (circular low-pass, jinc) with cut-off ωc.</summary>
    Sinc,

    /// <summary>A delta (no filtering), used when the final sinc filter is skipped.</summary>
    Pulse,
}
