using TorchSharp;
using TsdSr.Imaging;

namespace TsdSr.Data.Degradation.Operators;

/// <summary>
/// JPEG compression through a real encoder/decoder round trip (ImageSharp baseline JPEG, 4:2:0, via
/// <see cref="ImageCodec"/>), per sample at its own integer quality. The input is clamped to [0, 1] and rounded to
/// 8 bits first, as an encoder needs bytes. Samples are coded in parallel; the result does not depend on scheduling.
/// </summary>
public static class JpegRoundTrip
{
    /// <summary>Compresses each sample of [B, 3, H, W] at <paramref name="qualities"/>[b] (1–100); returns a new tensor.</summary>
    public static torch.Tensor Apply(torch.Tensor image, IReadOnlyList<int> qualities)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(qualities);
        if (image.dim() != 4 || image.shape[1] != 3 || qualities.Count != image.shape[0])
        {
            throw new ArgumentException($"Expected [B,3,H,W] with B qualities; got [{string.Join(",", image.shape)}] and {qualities.Count}.");
        }

        if (qualities.Any(q => q is < 1 or > 100))
        {
            throw new ArgumentOutOfRangeException(nameof(qualities), "JPEG qualities must be in 1..100.");
        }

        using var scope = torch.NewDisposeScope();
        int b = (int)image.shape[0];
        var inputs = new RgbImage[b];
        for (int i = 0; i < b; i++)
        {
            inputs[i] = ImageTensors.FromTensor(image[i], ByteConversion.Round);
        }

        var outputs = new RgbImage[b];
        Parallel.For(0, b, i => outputs[i] = RoundTrip(inputs[i], qualities[i]));
        var tensors = outputs.Select(o => ImageTensors.ToTensor(o)).ToArray();
        return torch.cat(tensors, 0).to(image.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Encodes <paramref name="image"/> as JPEG at <paramref name="quality"/> and decodes it again.</summary>
    public static RgbImage RoundTrip(RgbImage image, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var stream = new MemoryStream();
        ImageCodec.EncodeJpeg(image, stream, quality);
        stream.Position = 0;
        return ImageCodec.Load(stream, $"jpeg round trip (q={quality})");
    }
}
