using TorchSharp;

namespace TsdSr.Data.Degradation.Operators;

/// <summary>
/// PyTorch <c>F.interpolate</c> resizes as Real-ESRGAN calls them: <c>align_corners=False</c>, no antialiasing,
/// no clamping (bicubic may overshoot [0, 1]).
/// </summary>
public static class Resizer
{
    /// <summary>Resizes by <paramref name="scale"/>: output size floor(in·scale), coordinates mapped with 1/scale as PyTorch does when given a scale factor.</summary>
    public static torch.Tensor ByScale(torch.Tensor image, double scale, ResizeMode mode)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!(scale > 0) || !double.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be positive.");
        }

        if (mode == ResizeMode.Area)
        {
            // 'area' is adaptive average pooling to the output size; PyTorch ignores the scale there too.
            return ToSize(image, (long)Math.Floor(image.shape[2] * scale), (long)Math.Floor(image.shape[3] * scale), mode);
        }

        return torch.nn.functional.interpolate(image, scale_factor: [scale, scale], mode: ToTorch(mode), align_corners: false);
    }

    /// <summary>Resizes to exactly <paramref name="height"/>×<paramref name="width"/>.</summary>
    public static torch.Tensor ToSize(torch.Tensor image, long height, long width, ResizeMode mode)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (height < 1 || width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"Cannot resize [{string.Join(",", image.shape)}] to {height}x{width}.");
        }

        if (mode == ResizeMode.Area)
        {
            return torch.nn.functional.adaptive_avg_pool2d(image, new[] { height, width });
        }

        return torch.nn.functional.interpolate(image, size: [height, width], mode: ToTorch(mode), align_corners: false);
    }

    private static torch.InterpolationMode ToTorch(ResizeMode mode) => mode switch
    {
        ResizeMode.Bilinear => torch.InterpolationMode.Bilinear,
        ResizeMode.Bicubic => torch.InterpolationMode.Bicubic,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not an interpolating mode."),
    };
}
