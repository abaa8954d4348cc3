using TsdSr.Core.Files;

namespace TsdSr.Tests.Core.Files;

public sealed class OutputFolderLockTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-lock-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_second_claim_on_a_held_folder_is_refused_by_name()
    {
        var output = Path.Combine(dir, "out");
        using var first = OutputFolderLock.Acquire(output, "tsdsr upscale");

        var second = () => OutputFolderLock.Acquire(output, "tsdsr upscale");

        second.Should().Throw<OutputFolderLockedException>()
            .WithMessage($"Another run is writing to '{output}'*{OutputFolderLock.FileName}*choose another output folder*");
    }

    [Fact]
    public void Releasing_removes_the_lock_file_and_frees_the_folder()
    {
        var output = Path.Combine(dir, "out");
        OutputFolderLock.Acquire(output, "test").Dispose();

        File.Exists(Path.Combine(output, OutputFolderLock.FileName)).Should().BeFalse();
        using var again = OutputFolderLock.Acquire(output, "test");
        again.Folder.Should().Be(output);
    }

    [Fact]
    public void A_lock_file_left_by_a_killed_run_does_not_block_the_next_one()
    {
        var output = Path.Combine(dir, "out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, OutputFolderLock.FileName), "tsdsr upscale (process 1) since long ago");

        using var claim = OutputFolderLock.Acquire(output, "test");

        claim.Folder.Should().Be(output);
    }
}
