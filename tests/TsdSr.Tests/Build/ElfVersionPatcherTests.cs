using TsdSr.Build;

namespace TsdSr.Tests.Build;

/// <summary>The build-time patch that lets TorchSharp 0.107 load on GCC 12 libstdc++ (Debian 12, Ubuntu 22.04).</summary>
public class ElfVersionPatcherTests
{
    private static string ShimPath =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).First();

    private static byte[] UnpatchedShim()
    {
        var bytes = File.ReadAllBytes(ShimPath);
        // Undo a patch the build may have applied, so the test starts from the file as shipped.
        foreach (var need in ElfVersionPatcher.ReadVersionNeeds(bytes).Where(n => n.IsWeak))
        {
            bytes[need.FlagsOffset] &= unchecked((byte)~ElfVersionPatcher.VerFlagWeak);
        }

        return bytes;
    }

    [Fact]
    public void The_shipped_shim_requires_GLIBCXX_3_4_32_from_libstdcxx()
    {
        var needs = ElfVersionPatcher.ReadVersionNeeds(UnpatchedShim());
        needs.Should().Contain(n => n.File == "libstdc++.so.6" && n.Version == "GLIBCXX_3.4.32");
        needs.Should().Contain(n => n.File == "libstdc++.so.6" && n.Version == "CXXABI_1.3.13");
    }

    [Fact]
    public void A_host_without_the_version_gets_exactly_that_requirement_marked_weak()
    {
        var original = UnpatchedShim();
        var bytes = (byte[])original.Clone();
        var hostGcc12 = new HashSet<string> { "GLIBCXX_3.4.30", "GLIBCXX_3.4.29", "CXXABI_1.3.13", "GLIBCXX_3.4", "GLIBCXX_3.4.21", "CXXABI_1.3" };
        var host = hostGcc12.Concat(ElfVersionPatcher.ReadVersionNeeds(original)
            .Where(n => n.File == "libstdc++.so.6" && n.Version != "GLIBCXX_3.4.32").Select(n => n.Version)).ToHashSet();

        var (patched, unfixable) = ElfVersionPatcher.WeakenMissing(bytes, "libstdc++.so.6", host);

        patched.Should().Equal("GLIBCXX_3.4.32");
        unfixable.Should().BeEmpty();
        Enumerable.Range(0, bytes.Length).Count(i => bytes[i] != original[i]).Should().Be(1, "only the vna_flags low byte changes");
        ElfVersionPatcher.ReadVersionNeeds(bytes).Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak.Should().BeTrue();

        var again = (byte[])bytes.Clone();
        ElfVersionPatcher.WeakenMissing(again, "libstdc++.so.6", host).Patched.Should().BeEmpty("the patch is idempotent");
        again.Should().Equal(bytes);
    }

    [Fact]
    public void A_host_that_has_the_version_is_left_untouched()
    {
        var original = UnpatchedShim();
        var bytes = (byte[])original.Clone();
        var host = ElfVersionPatcher.ReadVersionNeeds(original).Select(n => n.Version).ToHashSet();

        ElfVersionPatcher.WeakenMissing(bytes, "libstdc++.so.6", host).Patched.Should().BeEmpty();
        bytes.Should().Equal(original);
    }

    [Fact]
    public void Other_missing_versions_are_reported_not_patched()
    {
        var bytes = UnpatchedShim();
        var (patched, unfixable) = ElfVersionPatcher.WeakenMissing(bytes, "libstdc++.so.6", new HashSet<string>());
        patched.Should().Equal("GLIBCXX_3.4.32");
        unfixable.Should().Contain("CXXABI_1.3.13");
    }

    [Fact]
    public void The_host_libstdcxx_definitions_are_readable()
    {
        var host = ElfVersionPatcher.FindHostLibStdCxx();
        host.Should().NotBeNull();
        ElfVersionPatcher.ReadVersionDefinitions(File.ReadAllBytes(host!)).Should().Contain("GLIBCXX_3.4.21");
    }

    [Fact]
    public void The_shim_in_the_output_loads_against_this_host()
    {
        var host = ElfVersionPatcher.ReadVersionDefinitions(File.ReadAllBytes(ElfVersionPatcher.FindHostLibStdCxx()!));
        var unmet = ElfVersionPatcher.ReadVersionNeeds(File.ReadAllBytes(ShimPath))
            .Where(n => n.File == "libstdc++.so.6" && !n.IsWeak && !host.Contains(n.Version));
        unmet.Should().BeEmpty("the build marks requirements the host lacks as weak");
    }

    [Fact]
    public void Garbage_is_rejected_with_a_clear_error()
    {
        var act = () => ElfVersionPatcher.ReadVersionNeeds(new byte[100]);
        act.Should().Throw<InvalidDataException>().WithMessage("*ELF*");
    }
}
