namespace TsdSr.Data.Degradation.Kernels;

/// <summary>The drawn parameters of one blur kernel; <see cref="Build"/> evaluates it.</summary>
/// <param name="Type">Kernel family.</param>
/// <param name="Size">Odd kernel size before padding.</param>
/// <param name="SigmaX">σx in pixels (Gaussian families).</param>
/// <param name="SigmaY">σy in pixels (equal to σx for isotropic kernels).</param>
/// <param name="Theta">Rotation in radians (0 for isotropic kernels).</param>
/// <param name="Beta">Shape β of generalised Gaussian and plateau kernels (1 otherwise).</param>
/// <param name="Cutoff">ωc of sinc kernels in radians/pixel (0 otherwise).</param>
public sealed record KernelParameters(KernelType Type, int Size, double SigmaX = 0, double SigmaY = 0, double Theta = 0, double Beta = 1, double Cutoff = 0)
{
    /// <summary>A delta kernel.</summary>
    public static KernelParameters Pulse(int size = 1) => new(KernelType.Pulse, size);

    /// <summary>The kernel, normalised to sum 1, zero-padded to <paramref name="padTo"/> when given.</summary>
    public double[] Build(int? padTo = null)
    {
        var k = Type switch
        {
            KernelType.Isotropic or KernelType.Anisotropic => BlurKernels.Gaussian(Size, SigmaX, SigmaY, Theta),
            KernelType.GeneralizedIsotropic or KernelType.GeneralizedAnisotropic => BlurKernels.GeneralizedGaussian(Size, SigmaX, SigmaY, Theta, Beta),
            KernelType.PlateauIsotropic or KernelType.PlateauAnisotropic => BlurKernels.Plateau(Size, SigmaX, SigmaY, Theta, Beta),
            KernelType.Sinc => BlurKernels.Sinc(Size, Cutoff),
            KernelType.Pulse => BlurKernels.Pulse(Size),
            _ => throw new ArgumentOutOfRangeException(nameof(Type), Type, "Unknown kernel type."),
        };
        return padTo is int p && p != Size ? BlurKernels.PadTo(k, p) : k;
    }
}
