using TsdSr.Imaging;

namespace TsdSr.Evaluation.Color;

/// <summary>Border cropping shared by the pixel metrics (pyiqa <c>crop_border</c>: <c>[cb:-cb, cb:-cb]</c>).</summary>
internal static class ImageCrop
{
    /// <summary>The image without <paramref name="border"/> pixels on each side; the same instance for 0.</summary>
    public static RgbImage Crop(RgbImage image, int border)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(border);
        if (border == 0)
        {
            return image;
        }

        int w = image.Width - (2 * border), h = image.Height - (2 * border);
        if (w <= 0 || h <= 0)
        {
            throw new ArgumentException($"Crop border {border} leaves nothing of a {image.Width}x{image.Height} image.", nameof(border));
        }

        var px = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            Array.Copy(image.Pixels, (((y + border) * image.Width) + border) * 3, px, y * w * 3, w * 3);
        }

        return new RgbImage(w, h, px);
    }

    /// <summary>Throws a precise error when two images differ in size.</summary>
    public static void RequireSameSize(RgbImage image, RgbImage reference)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(reference);
        if (image.Width != reference.Width || image.Height != reference.Height)
        {
            throw new ArgumentException(
                $"Image is {image.Width}x{image.Height} but the reference is {reference.Width}x{reference.Height}; full-reference metrics need equal sizes.");
        }
    }
}
