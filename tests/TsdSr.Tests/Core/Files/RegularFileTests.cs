using TsdSr.Core.Files;
using TsdSr.Core.Pickle;
using TsdSr.Core.SafeTensors;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Core.Files;

public sealed class RegularFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-files-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_fifo_is_refused_before_it_is_opened()
    {
        var fifo = SpecialFiles.MakeFifo(Path.Combine(dir, "weights.safetensors"));

        RegularFile.Problem(fifo).Should().Contain("not a regular file").And.Contain("FIFO");
        var safetensors = () => SafetensorsFile.Open(fifo);
        safetensors.Should().Throw<SafetensorsFormatException>().WithMessage("*weights.safetensors*FIFO*");
        var pickle = () => PyTorchCheckpoint.Open(fifo);
        pickle.Should().Throw<TorchPickleException>().WithMessage("*FIFO*");
    }

    [Fact]
    public void Empty_files_folders_and_missing_files_are_named()
    {
        var empty = Path.Combine(dir, "config.json");
        File.WriteAllBytes(empty, []);

        RegularFile.Problem(empty).Should().Contain("empty (0 bytes)");
        RegularFile.Problem(dir).Should().Contain("folder");
        RegularFile.Problem(Path.Combine(dir, "none")).Should().Contain("does not exist");
        var read = () => RegularFile.ReadSmallText(empty, "Transformer config");
        read.Should().Throw<InvalidDataException>().WithMessage($"Transformer config '{empty}': it is empty*");
        var missing = () => RegularFile.ReadSmallText(Path.Combine(dir, "none"), "VAE config");
        missing.Should().Throw<FileNotFoundException>().WithMessage("VAE config*not found*");
    }

    [Fact]
    public void Text_files_over_the_size_limit_are_refused_unread()
    {
        var big = Path.Combine(dir, "config.json");
        File.WriteAllText(big, new string(' ', 2000));

        var read = () => RegularFile.ReadSmallText(big, "Transformer config", maxBytes: 1000);

        read.Should().Throw<InvalidDataException>().WithMessage("*2000 bytes*1000*");
        RegularFile.ReadSmallText(big, "Transformer config", maxBytes: 2000).Should().HaveLength(2000);
    }
}
