using TsdSr.Core.Embeddings;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Core.Embeddings;

/// <summary>FindMissing names exactly what Load would miss, with full paths, before anything is loaded.</summary>
public sealed class PromptEmbeddingsLoaderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tsdsr-emb-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_missing_folder_is_one_line_naming_it_and_the_accepted_forms()
    {
        var absent = Path.Combine(folder, "absent");
        PromptEmbeddingsLoader.FindMissing(absent).Should().Equal(
            $"folder not found: '{absent}' (expected embeddings.safetensors, or prompt_embeds.pt and pool_embeds.pt, in it).");
    }

    [Fact]
    public void Each_missing_pt_file_is_named_and_a_complete_form_reports_nothing()
    {
        File.WriteAllBytes(Path.Combine(folder, "prompt_embeds.pt"), [0]);
        PromptEmbeddingsLoader.FindMissing(folder).Should().Equal(
            $"pool_embeds.pt: expected at '{Path.Combine(folder, "pool_embeds.pt")}' (or embeddings.safetensors in the same folder).");

        File.WriteAllBytes(Path.Combine(folder, "pool_embeds.pt"), [0]);
        PromptEmbeddingsLoader.FindMissing(folder).Should().BeEmpty();
    }

    [Fact]
    public void The_fixture_folder_and_its_safetensors_file_are_complete()
    {
        var embeddings = FixturePaths.Get("tsdsr_pipeline_tiny", "embeddings");
        PromptEmbeddingsLoader.FindMissing(embeddings).Should().BeEmpty();
        foreach (var file in Directory.EnumerateFiles(embeddings, "*.safetensors"))
        {
            PromptEmbeddingsLoader.FindMissing(file).Should().BeEmpty();
        }
    }
}
