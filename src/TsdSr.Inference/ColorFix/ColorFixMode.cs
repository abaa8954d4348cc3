namespace TsdSr.Inference.ColorFix;

/// <summary>How the output's colours are aligned with the input (the reference's <c>--align_method</c>).</summary>
public enum ColorFixMode
{
    /// <summary>Keep the low frequencies of the PIL-bicubic ×4 input and the high frequencies of the output (default).</summary>
    Wavelet,

    /// <summary>Match per-channel mean and standard deviation to the input.</summary>
    AdaIn,

    /// <summary>No colour correction.</summary>
    None,
}
