using FluentAssertions;
using TsdSr.Core.Devices;
using Xunit;

namespace TsdSr.Tests.Core.Devices;

public class NativeAllocatorTests
{
    private static readonly string[] Maps =
    [
        "55d0c0a00000-55d0c0a02000 r--p 00000000 08:01 1234                       /usr/share/dotnet/dotnet",
        "7f1000000000-7f1000021000 rw-p 00000000 00:00 0 ",
        "7f2000000000-7f2000028000 r--p 00000000 08:01 2222                       /usr/lib/x86_64-linux-gnu/libc.so.6",
        "7f2000028000-7f20001bd000 r-xp 00028000 08:01 2222                       /usr/lib/x86_64-linux-gnu/libc.so.6",
        "7f3000000000-7f3000010000 r-xp 00000000 08:01 3333                       /opt/my libs/libtcmalloc_minimal.so.4.5.10",
        "not a maps line",
        "zzzz-7f4000000000 r-xp 00000000 08:01 4444 /bad/start.so",
        "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]",
    ];

    [Fact]
    public void FileContaining_returns_the_file_of_the_mapping_that_holds_the_address()
    {
        NativeAllocator.FileContaining(Maps, 0x7f2000030000).Should().Be("/usr/lib/x86_64-linux-gnu/libc.so.6");
        NativeAllocator.FileContaining(Maps, 0x7f2000000000).Should().Be("/usr/lib/x86_64-linux-gnu/libc.so.6", "the start is inside");
        NativeAllocator.FileContaining(Maps, 0x7f3000000010).Should().Be("/opt/my libs/libtcmalloc_minimal.so.4.5.10", "paths may contain spaces");
    }

    [Fact]
    public void FileContaining_is_null_outside_every_file_backed_mapping_and_skips_malformed_lines()
    {
        NativeAllocator.FileContaining(Maps, 0x7f1000000010).Should().BeNull("an anonymous mapping has no file");
        NativeAllocator.FileContaining(Maps, 0x7f3000010000).Should().BeNull("the end of a range is exclusive");
        NativeAllocator.FileContaining(Maps, 0x7f4000000000 - 1).Should().BeNull("a line with an unreadable range is skipped");
        NativeAllocator.FileContaining(Maps, 0x10).Should().BeNull();
    }

    [Theory]
    [InlineData("/usr/lib/x86_64-linux-gnu/libc.so.6", "glibc")]
    [InlineData("/lib64/libc-2.28.so", "glibc")]
    [InlineData("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4", "tcmalloc")]
    [InlineData("/usr/lib/libtcmalloc.so.4", "tcmalloc")]
    [InlineData("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "jemalloc")]
    [InlineData("/usr/local/lib/libmimalloc.so.2", "mimalloc")]
    [InlineData("/lib/ld-musl-x86_64.so.1", "ld-musl-x86_64.so.1")]
    [InlineData(null, "unknown")]
    [InlineData("", "unknown")]
    public void NameOf_names_the_allocator_a_library_stands_for(string? path, string expected) =>
        NativeAllocator.NameOf(path).Should().Be(expected);

    [Fact]
    public void Describe_finds_glibc_in_a_test_process_started_without_a_preloaded_allocator()
    {
        // Only meaningful where glibc is the C library and nothing is preloaded (the CI machine; a developer may run
        // the tests under LD_PRELOAD, where the answer is the preloaded library instead).
        if (!OperatingSystem.IsLinux() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("LD_PRELOAD"))
            || !File.ReadLines("/proc/self/maps").Any(l => l.EndsWith("/libc.so.6", StringComparison.Ordinal)))
        {
            NativeAllocator.Describe().Should().NotBeNullOrEmpty();
            return;
        }

        NativeAllocator.Describe().Should().Be("glibc");
        NativeAllocator.IsGlibc(NativeAllocator.Describe()).Should().BeTrue();
    }

    [Fact]
    public void Diagnostics_carry_the_allocator() =>
        TorchDiagnostics.Collect().NativeAllocator.Should().Be(NativeAllocator.Describe());
}
