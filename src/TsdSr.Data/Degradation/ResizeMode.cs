namespace TsdSr.Data.Degradation;

/// <summary>Interpolation of a random resize (PyTorch <c>F.interpolate</c> modes, <c>align_corners=False</c>, no antialiasing).</summary>
public enum ResizeMode
{
    /// <summary>Adaptive average pooling ("area").</summary>
    Area,

    /// <summary>Bilinear, half-pixel centres.</summary>
    Bilinear,

    /// <summary>Bicubic (a = −0.75), half-pixel centres, clamped borders; can overshoot [0, 1].</summary>
    Bicubic,
}
