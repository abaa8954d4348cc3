using TsdSr.Core.Files;

namespace TsdSr.Tests.Core.Files;

public sealed class TemporaryFilesTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-temp-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_committed_temporary_becomes_the_file_and_is_no_longer_tracked()
    {
        var final = Path.Combine(dir, "out.png");
        using (var lease = TemporaryFiles.Create(final))
        {
            File.WriteAllText(lease.Path, "data");
            TemporaryFiles.Current.Should().Contain(lease.Path);
            lease.Commit(final, overwrite: false);
            TemporaryFiles.Current.Should().NotContain(lease.Path);
        }

        File.ReadAllText(final).Should().Be("data");
        Directory.GetFiles(dir).Should().ContainSingle();
    }

    [Fact]
    public void An_abandoned_temporary_is_deleted_on_dispose()
    {
        string path;
        using (var lease = TemporaryFiles.Create(Path.Combine(dir, "out.png")))
        {
            path = lease.Path;
            File.WriteAllText(path, "half");
        }

        File.Exists(path).Should().BeFalse();
        TemporaryFiles.Current.Should().NotContain(path);
    }

    [Fact]
    public void Delete_all_removes_what_a_writer_left_when_the_process_is_forced_to_end()
    {
        var lease = TemporaryFiles.Create(Path.Combine(dir, "out.png"));
        File.WriteAllText(lease.Path, "half");

        TemporaryFiles.DeleteAll().Should().BeGreaterThanOrEqualTo(1);

        File.Exists(lease.Path).Should().BeFalse();
        TemporaryFiles.Current.Should().NotContain(lease.Path);
    }

    [Fact]
    public void Commit_without_overwrite_refuses_a_file_that_appeared_meanwhile()
    {
        var final = Path.Combine(dir, "out.png");
        using var lease = TemporaryFiles.Create(final);
        File.WriteAllText(lease.Path, "mine");
        File.WriteAllText(final, "theirs");

        var commit = () => lease.Commit(final, overwrite: false);

        commit.Should().Throw<IOException>();
        File.ReadAllText(final).Should().Be("theirs");
    }
}
