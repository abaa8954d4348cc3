namespace TsdSr.Inference.Pipeline;

/// <summary>
/// Names of the tensors <see cref="TsdSrPipeline.Upscale(TsdSr.Imaging.RgbImage, UpscaleSettings, IProgress{TsdSrProgress}?, Action{string, TorchSharp.torch.Tensor}?, CancellationToken)"/>
/// reports to an observer, as in the reference fixture (<c>tensors.safetensors</c>).
/// </summary>
public static class TsdSrIntermediates
{
    /// <summary>The VAE input [1,3,H,W] in [−1,1].</summary>
    public const string PixelValues = "pixel_values";

    /// <summary>Encoder mean (or sample) × scaling factor [1,16,H/8,W/8].</summary>
    public const string Latent = "latent";

    /// <summary>The blended transformer velocity [1,16,H/8,W/8].</summary>
    public const string Velocity = "v";

    /// <summary>Decoder output clamped to [−1,1], batch squeezed [3,H,W].</summary>
    public const string Decoded = "decoded";
}
