using System.CommandLine;
using TsdSr.Cli.Commands;

namespace TsdSr.Tests.Cli.Commands;

/// <summary><c>tsdsr doctor</c>: the diagnostics on standard output, no empty trace lines.</summary>
public sealed class DoctorCommandTests
{
    [Fact]
    public void Blank_lines_of_a_load_trace_are_left_out()
    {
        DoctorCommand.TraceLines("dlopen libcuda.so: not found\n\n   \r\nlibtorch_cuda.so: skipped\n").Should().Equal("dlopen libcuda.so: not found", "libtorch_cuda.so: skipped");
        DoctorCommand.TraceLines(string.Empty).Should().BeEmpty();
        DoctorCommand.TraceLines(null).Should().BeEmpty();
    }

    [Fact]
    public async Task The_report_goes_to_standard_output_with_no_blank_line()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = await new RootCommand { DoctorCommand.Create() }.Parse(["doctor"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        code.Should().Be(0, error.ToString());
        var lines = output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        lines.Should().Contain(l => l.StartsWith("libtorch", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("malloc", StringComparison.Ordinal) && l.Contains(TsdSr.Core.Devices.NativeAllocator.Describe(), StringComparison.Ordinal));
        lines.Any(l => l.Trim() == TsdSr.Core.Devices.NativeAllocator.GlibcHint).Should().Be(
            TsdSr.Core.Devices.NativeAllocator.IsGlibc(TsdSr.Core.Devices.NativeAllocator.Describe()), "the tcmalloc hint is shown exactly under glibc's malloc");
        lines.Should().NotContain(l => string.IsNullOrWhiteSpace(l) || l.Trim() == "CUDA load trace");
    }
}
