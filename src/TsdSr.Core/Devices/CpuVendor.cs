using System.Runtime.Intrinsics.X86;
using System.Text;

namespace TsdSr.Core.Devices;

/// <summary>
/// The CPU's vendor, as the processor itself reports it (x86 <c>CPUID</c> leaf 0). Which of libtorch's CPU GEMM
/// engines is faster depends on it: MKL picks its kernels by vendor and runs fp32 more slowly on AMD CPUs than
/// oneDNN does.
/// </summary>
public static class CpuVendor
{
    /// <summary>AMD's vendor string.</summary>
    public const string Amd = "AuthenticAMD";

    private static readonly Lazy<string> CurrentVendor = new(Detect);

    /// <summary>This machine's vendor string (e.g. <see cref="Amd"/>), or <c>unknown</c> off x86.</summary>
    public static string Current => CurrentVendor.Value;

    /// <summary>Whether this machine's CPU is AMD's.</summary>
    public static bool IsAmd => Current == Amd;

    /// <summary>The 12-character vendor string that <c>CPUID</c> leaf 0 returns in EBX, EDX and ECX, in that order
    /// (little-endian, as every x86 CPU is).</summary>
    public static string FromRegisters(int ebx, int ecx, int edx)
    {
        Span<byte> bytes = stackalloc byte[12];
        BitConverter.TryWriteBytes(bytes[..4], ebx);
        BitConverter.TryWriteBytes(bytes[4..8], edx);
        BitConverter.TryWriteBytes(bytes[8..], ecx);

        return Encoding.ASCII.GetString(bytes).TrimEnd('\0');
    }

    private static string Detect()
    {
        if (!X86Base.IsSupported)
        {
            return "unknown";
        }

        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        return FromRegisters(ebx, ecx, edx);
    }
}
