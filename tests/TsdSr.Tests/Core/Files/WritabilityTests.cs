using TsdSr.Core.Files;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Core.Files;

public sealed class WritabilityTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-writable-").FullName;

    public void Dispose()
    {
        SpecialFiles.MakeWritable(dir);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void A_writable_folder_is_created_and_left_without_the_probe()
    {
        var output = Path.Combine(dir, "a", "b");

        Writability.FolderProblem(output).Should().BeNull();

        Directory.Exists(output).Should().BeTrue();
        Directory.EnumerateFileSystemEntries(output).Should().BeEmpty();
    }

    [Fact]
    public void An_unwritable_folder_and_a_file_inside_it_are_named()
    {
        var folder = SpecialFiles.UnwritableFolder(dir);

        Writability.FolderProblem(folder).Should().Contain(folder).And.Contain("not writable");
        Writability.FileProblem(Path.Combine(folder, "report.csv")).Should().Contain("not writable");
    }

    [Fact]
    public void A_file_where_a_folder_is_expected_is_named()
    {
        var file = Path.Combine(dir, "file");
        File.WriteAllText(file, "x");

        Writability.FolderProblem(file).Should().Contain("is a file");
        Writability.FileProblem(dir).Should().Contain("is a folder");
        Writability.FileProblem(file).Should().BeNull();
        File.ReadAllText(file).Should().Be("x");
    }
}
