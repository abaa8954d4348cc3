using TorchSharp;

namespace TsdSr.Data.Degradation;

/// <summary>
/// The result of <see cref="RealEsrganDegradation"/> for a batch: float32 tensors in [0, 1], owned by this object
/// (dispose it, or take a tensor's ownership with <c>DetachFromDisposeScope</c>-free use before disposing).
/// </summary>
public sealed class DegradedBatch : IDisposable
{
    /// <summary>Creates the batch; takes ownership of the tensors.</summary>
    public DegradedBatch(torch.Tensor hr, torch.Tensor lr, torch.Tensor lrUpsampled)
    {
        Hr = hr;
        Lr = lr;
        LrUpsampled = lrUpsampled;
    }

    /// <summary>The ground truth [B, 3, H, W] (USM-sharpened when the configuration says so).</summary>
    public torch.Tensor Hr { get; }

    /// <summary>The degraded low-resolution images [B, 3, H/scale, W/scale], multiples of 1/255.</summary>
    public torch.Tensor Lr { get; }

    /// <summary>LR bicubic-upsampled back to H×W and rounded to 8 bits (the reference's <c>lr_bicubic</c>).</summary>
    public torch.Tensor LrUpsampled { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Hr.Dispose();
        Lr.Dispose();
        LrUpsampled.Dispose();
    }
}
