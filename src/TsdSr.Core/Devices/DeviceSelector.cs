using TorchSharp;

namespace TsdSr.Core.Devices;

/// <summary>Resolves the device names users write (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) to a torch device.</summary>
public static class DeviceSelector
{
    /// <summary>
    /// Resolves <paramref name="name"/>. <c>auto</c> picks CUDA when a CUDA backend is referenced and a GPU is visible,
    /// else the CPU. An explicit <c>cuda</c> that cannot be initialised throws with libtorch's native load trace.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown device name or a CUDA index out of range.</exception>
    /// <exception cref="TorchBackendException">CUDA was asked for but cannot be used.</exception>
    public static torch.Device Resolve(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var n = name.Trim().ToLowerInvariant();
        if (n == "cpu")
        {
            return torch.CPU;
        }

        if (n == "auto")
        {
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }

        if (n == "cuda" || n.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int index = 0;
            if (n.Length > 4 && (!int.TryParse(n.AsSpan(5), out index) || index < 0))
            {
                throw new ArgumentException($"Device '{name}': the CUDA index must be a non-negative integer (e.g. cuda:0).", nameof(name));
            }

            try
            {
                torch.InitializeDeviceType(DeviceType.CUDA);
            }
            catch (Exception e) when (e is InvalidOperationException or NotSupportedException or DllNotFoundException)
            {
                throw new TorchBackendException(
                    $"Device '{name}' was requested but the CUDA backend cannot be loaded. Reference a CUDA libtorch package "
                    + "(e.g. libtorch-cuda-12.8-linux-x64) in your application and install an NVIDIA driver that supports CUDA 12.8.",
                    e);
            }

            int count = torch.cuda.device_count();
            if (index >= count)
            {
                throw new ArgumentException($"Device '{name}': only {count} CUDA device(s) are visible.", nameof(name));
            }

            return new torch.Device(DeviceType.CUDA, index);
        }

        throw new ArgumentException($"Unknown device '{name}'. Use auto, cpu, cuda or cuda:N.", nameof(name));
    }
}
