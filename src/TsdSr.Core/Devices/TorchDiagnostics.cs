using System.Runtime.InteropServices;
using TorchSharp;

namespace TsdSr.Core.Devices;

/// <summary>A snapshot of the torch runtime, for logs and the <c>tsdsr doctor</c> command.</summary>
/// <param name="LibTorchVersion">libtorch version (e.g. 2.10.0).</param>
/// <param name="TorchSharpVersion">TorchSharp assembly version.</param>
/// <param name="Os">Operating system and architecture.</param>
/// <param name="CudaAvailable">Whether a CUDA backend is loaded and sees a GPU.</param>
/// <param name="CudaDeviceCount">Visible CUDA devices.</param>
/// <param name="CudnnAvailable">Whether cuDNN is available.</param>
/// <param name="Threads">Intra-op threads libtorch uses.</param>
/// <param name="ProcessorCount">Logical processors of the machine.</param>
/// <param name="CudaLoadError">The native load error when CUDA could not be initialised, else null.</param>
/// <param name="NativeAllocator">The <c>malloc</c> that serves CPU tensors (<see cref="Devices.NativeAllocator.Describe"/>).</param>
public sealed record TorchDiagnostics(
    string LibTorchVersion,
    string TorchSharpVersion,
    string Os,
    bool CudaAvailable,
    int CudaDeviceCount,
    bool CudnnAvailable,
    int Threads,
    int ProcessorCount,
    string? CudaLoadError,
    string NativeAllocator)
{
    /// <summary>Collects the diagnostics. Never throws for a missing CUDA backend; the reason is recorded instead.</summary>
    public static TorchDiagnostics Collect()
    {
        string? cudaError = null;
        bool cuda = false;
        try
        {
            torch.InitializeDeviceType(DeviceType.CUDA);
            cuda = torch.cuda.is_available();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or DllNotFoundException)
        {
            cudaError = e.Message;
        }

        return new TorchDiagnostics(
            torch.__version__,
            typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
            cuda,
            cuda ? torch.cuda.device_count() : 0,
            cuda && torch.cuda.is_cudnn_available(),
            torch.get_num_threads(),
            Environment.ProcessorCount,
            cudaError,
            Devices.NativeAllocator.Describe());
    }
}
