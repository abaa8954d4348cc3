namespace TsdSr.Data.Degradation;

/// <summary>One stage of the second-order pipeline: blur → resize → noise → JPEG.</summary>
public sealed record DegradationStageConfig
{
    /// <summary>How the blur kernel is drawn.</summary>
    public BlurConfig Blur { get; init; } = new();

    /// <summary>Probability of blurring at all (1 for the first stage, <c>second_blur_prob</c> for the second).</summary>
    public double BlurProbability { get; init; } = 1;

    /// <summary>The random resize.</summary>
    public ResizeConfig Resize { get; init; } = new();

    /// <summary>The additive noise.</summary>
    public NoiseConfig Noise { get; init; } = new();

    /// <summary>JPEG quality range, drawn continuously and rounded to an integer for the encoder (default [30, 95]).</summary>
    public ValueRange JpegQuality { get; init; } = new(30, 95);

    internal void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(Blur, $"{name}.{nameof(Blur)}");
        ArgumentNullException.ThrowIfNull(Resize, $"{name}.{nameof(Resize)}");
        ArgumentNullException.ThrowIfNull(Noise, $"{name}.{nameof(Noise)}");
        Blur.Validate($"{name}.{nameof(Blur)}");
        Probability.Validate(BlurProbability, $"{name}.{nameof(BlurProbability)}");
        Resize.Validate($"{name}.{nameof(Resize)}");
        Noise.Validate($"{name}.{nameof(Noise)}");
        JpegQuality.Validate($"{name}.{nameof(JpegQuality)}", 1, 100);
    }
}
