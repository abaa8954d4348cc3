using TsdSr.Inference;
using TsdSr.Inference.Hosting;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Inference.Hosting;

public sealed class TsdSrModelFilesTests : IDisposable
{
    private readonly HostingTestFolders folders = new();

    public void Dispose() => folders.Dispose();

    [Fact]
    public void Every_missing_file_is_listed_by_name_with_its_expected_location()
    {
        var missing = TsdSrModelFiles.FindMissing(new TsdSrModelPaths(folders.Model, folders.Lora, folders.Embeddings));

        missing.Should().Contain(m => m.StartsWith("SD3-medium transformer", StringComparison.Ordinal));
        missing.Should().Contain(m => m.StartsWith("SD3-medium vae", StringComparison.Ordinal));
        missing.Should().Contain($"TSD-SR LoRA transformer.safetensors: expected at '{Path.Combine(folders.Lora, "transformer.safetensors")}'.");
        missing.Should().Contain($"TSD-SR LoRA vae.safetensors: expected at '{Path.Combine(folders.Lora, "vae.safetensors")}'.");
        missing.Should().Contain(m => m.StartsWith("Prompt embeddings prompt_embeds.pt", StringComparison.Ordinal) && m.Contains(folders.Embeddings));
        missing.Should().Contain(m => m.StartsWith("Prompt embeddings pool_embeds.pt", StringComparison.Ordinal));
    }

    [Fact]
    public void The_tiny_pipeline_fixture_has_everything()
    {
        var root = FixturePaths.Get("tsdsr_pipeline_tiny");

        TsdSrModelFiles.FindMissing(new TsdSrModelPaths(root, Path.Combine(root, "lora"), Path.Combine(root, "embeddings"))).Should().BeEmpty();
    }

    [Fact]
    public void A_missing_root_folder_gives_one_message_per_folder()
    {
        var nowhere = Path.Combine(folders.Root, "nowhere");

        var missing = TsdSrModelFiles.FindMissing(new TsdSrModelPaths(nowhere, nowhere, nowhere));

        missing.Should().HaveCount(3);
        missing.Should().OnlyContain(m => m.Contains(nowhere));
    }
}
