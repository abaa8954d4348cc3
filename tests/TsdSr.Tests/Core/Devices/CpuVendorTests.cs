using System.Runtime.Intrinsics.X86;
using TsdSr.Core.Devices;

namespace TsdSr.Tests.Core.Devices;

/// <summary><see cref="CpuVendor"/> reads the vendor string of CPUID leaf 0 from EBX, EDX, ECX in that order.</summary>
public sealed class CpuVendorTests
{
    [Theory]
    [InlineData("AuthenticAMD")]
    [InlineData("GenuineIntel")]
    public void The_registers_spell_the_vendor_in_EBX_EDX_ECX_order(string vendor)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(vendor);
        int ebx = BitConverter.ToInt32(bytes, 0), edx = BitConverter.ToInt32(bytes, 4), ecx = BitConverter.ToInt32(bytes, 8);

        CpuVendor.FromRegisters(ebx, ecx, edx).Should().Be(vendor);
    }

    [Fact]
    public void This_machine_reports_a_twelve_character_vendor_on_x86()
    {
        if (!X86Base.IsSupported)
        {
            CpuVendor.Current.Should().Be("unknown");
            return;
        }

        CpuVendor.Current.Should().HaveLength(12);
        CpuVendor.IsAmd.Should().Be(CpuVendor.Current == CpuVendor.Amd);
        if (File.Exists("/proc/cpuinfo"))
        {
            var line = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("vendor_id", StringComparison.Ordinal));
            CpuVendor.Current.Should().Be(line.Split(':', 2)[1].Trim(), "the kernel reads the same CPUID leaf");
        }
    }
}
