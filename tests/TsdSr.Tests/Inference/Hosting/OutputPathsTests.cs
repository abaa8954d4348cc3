using TsdSr.Inference.Hosting;

namespace TsdSr.Tests.Inference.Hosting;

public sealed class OutputPathsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-outputs-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("out", true)]
    [InlineData("out/", true)]
    [InlineData("out.png", false)]
    [InlineData("out.jpg", false)]
    public void A_path_without_an_extension_or_ending_in_a_separator_is_a_folder(string output, bool folder)
    {
        var full = Path.Combine(dir, output);

        OutputPaths.IsFolder(full).Should().Be(folder);
        OutputPaths.ForInput("/photos/cat.jpeg", full).Should().Be(folder ? Path.Combine(Path.GetFullPath(full), "cat.png") : full);
    }

    [Fact]
    public void An_output_is_never_the_input_even_when_overwriting_or_reached_through_a_link()
    {
        var input = Path.Combine(dir, "in.png");
        File.WriteAllText(input, "x");
        var link = Path.Combine(dir, "link.png");
        File.CreateSymbolicLink(link, input);

        OutputPaths.Conflict(input, input, overwrite: true).Should().Contain("is the input itself");
        OutputPaths.Conflict(input, link, overwrite: true).Should().Contain("is the input itself");
    }

    [Fact]
    public void An_existing_output_is_refused_unless_overwriting_and_the_option_is_named()
    {
        var input = Path.Combine(dir, "in.png");
        var output = Path.Combine(dir, "out.png");
        File.WriteAllText(output, "x");

        OutputPaths.Conflict(input, output, overwrite: false).Should().Contain($"'{output}' already exists").And.Contain("--overwrite");
        OutputPaths.Conflict(input, output, overwrite: true).Should().BeNull();
        OutputPaths.Conflict(input, Path.Combine(dir, "new.png"), overwrite: false).Should().BeNull();
    }

    [Fact]
    public void An_extension_that_names_no_format_is_refused()
    {
        OutputPaths.Conflict(Path.Combine(dir, "in.png"), Path.Combine(dir, "out.gif"), overwrite: false).Should().Contain("'.gif' names no image format");
    }
}
