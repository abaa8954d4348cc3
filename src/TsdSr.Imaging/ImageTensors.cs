using TorchSharp;

namespace TsdSr.Imaging;

/// <summary>How float pixel values become 8-bit.</summary>
public enum ByteConversion
{
    /// <summary>clamp(x·255) then truncate toward zero — torchvision's ToPILImage (<c>mul(255).byte()</c>), used by TSD-SR.</summary>
    Truncate,

    /// <summary>clamp(x·255) then round half to even — diffusers' <c>numpy_to_pil</c>.</summary>
    Round,
}

/// <summary>Conversions between <see cref="RgbImage"/> and tensors.</summary>
public static class ImageTensors
{
    /// <summary>RGB bytes → float32 tensor [1, 3, H, W] in [0, 1] (torchvision ToTensor: x / 255). Caller owns it.</summary>
    public static torch.Tensor ToTensor(RgbImage image, torch.Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var scope = torch.NewDisposeScope();
        var bytes = torch.tensor(image.Pixels, new long[] { image.Height, image.Width, 3 }, torch.ScalarType.Byte);
        var t = bytes.permute(2, 0, 1).unsqueeze(0).to(torch.ScalarType.Float32).div_(255f);
        if (device is not null)
        {
            t = t.to(device);
        }

        return t.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>RGB bytes → uint8 tensor [3, H, W]. Caller owns it.</summary>
    public static torch.Tensor ToByteTensor(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var scope = torch.NewDisposeScope();
        return torch.tensor(image.Pixels, new long[] { image.Height, image.Width, 3 }, torch.ScalarType.Byte)
            .permute(2, 0, 1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Float tensor [1, 3, H, W] or [3, H, W] in [0, 1] → RGB bytes, converted as <paramref name="conversion"/> says.</summary>
    public static RgbImage FromTensor(torch.Tensor tensor, ByteConversion conversion = ByteConversion.Truncate, byte[]? alpha = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = torch.NewDisposeScope();
        var t = tensor.dim() == 4 ? tensor.squeeze(0) : tensor;
        if (t.dim() != 3 || t.shape[0] != 3)
        {
            throw new ArgumentException($"Expected a [1,3,H,W] or [3,H,W] tensor, got [{string.Join(", ", tensor.shape)}].", nameof(tensor));
        }

        var scaled = t.detach().to(torch.ScalarType.Float32).cpu().mul(255f).clamp(0f, 255f);
        if (conversion == ByteConversion.Round)
        {
            scaled = scaled.round();
        }

        var hwc = scaled.to(torch.ScalarType.Byte).permute(1, 2, 0).contiguous();
        var pixels = hwc.data<byte>().ToArray();
        return new RgbImage((int)t.shape[2], (int)t.shape[1], pixels, alpha);
    }

    /// <summary>uint8 tensor [3, H, W] → RGB bytes.</summary>
    public static RgbImage FromByteTensor(torch.Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dtype != torch.ScalarType.Byte || tensor.dim() != 3 || tensor.shape[0] != 3)
        {
            throw new ArgumentException($"Expected a uint8 [3,H,W] tensor, got {tensor.dtype} [{string.Join(", ", tensor.shape)}].", nameof(tensor));
        }

        using var hwc = tensor.cpu().permute(1, 2, 0).contiguous();
        return new RgbImage((int)tensor.shape[2], (int)tensor.shape[1], hwc.data<byte>().ToArray());
    }
}
