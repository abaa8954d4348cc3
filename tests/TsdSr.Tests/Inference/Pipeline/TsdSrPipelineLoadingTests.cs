using TsdSr.Core.SafeTensors;
using TsdSr.Inference;
using TsdSr.Inference.Pipeline;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Inference.Pipeline;

/// <summary>Loading errors name the file and where it was expected; a truncated weight file gives its format error.</summary>
public sealed class TsdSrPipelineLoadingTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "tsdsr-pipeline-" + Guid.NewGuid().ToString("N"));

    public TsdSrPipelineLoadingTests()
    {
        Copy(FixturePaths.Get("tsdsr_pipeline_tiny"), root);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private TsdSrModelPaths Paths => new(root, Path.Combine(root, "lora"), Path.Combine(root, "embeddings"));

    private static TsdSrPipelineOptions Cpu => new() { Device = "cpu" };

    [Fact]
    public void A_missing_embeddings_file_names_it_and_its_folder()
    {
        File.Delete(Path.Combine(root, "embeddings", "embeddings.safetensors"));
        File.Delete(Path.Combine(root, "embeddings", "pool_embeds.pt"));

        var act = () => TsdSrPipeline.Load(Paths, Cpu);

        act.Should().Throw<FileNotFoundException>()
            .Where(e => e.Message.Contains("pool_embeds.pt") && e.Message.Contains(Path.Combine(root, "embeddings")));
    }

    [Theory]
    [InlineData("transformer.safetensors")]
    [InlineData("vae.safetensors")]
    public void A_missing_lora_file_names_it_and_where_it_was_expected(string file)
    {
        File.Delete(Path.Combine(root, "lora", file));

        var act = () => TsdSrPipeline.Load(Paths, Cpu);

        act.Should().Throw<FileNotFoundException>()
            .Where(e => e.Message.Contains(Path.Combine(root, "lora", file)) && e.FileName == Path.Combine(root, "lora", file));
    }

    [Fact]
    public void Missing_base_model_weights_name_the_file_and_the_model_to_download()
    {
        File.Delete(Path.Combine(root, "vae", "diffusion_pytorch_model.safetensors"));

        var act = () => TsdSrPipeline.Load(Paths, Cpu);

        act.Should().Throw<FileNotFoundException>()
            .Where(e => e.Message.Contains("diffusion_pytorch_model.safetensors") && e.Message.Contains(TsdSrPipeline.BaseModelId));
    }

    [Theory]
    [InlineData("vae/diffusion_pytorch_model.safetensors")]
    [InlineData("lora/transformer.safetensors")]
    public void A_truncated_weight_file_gives_the_safetensors_format_error(string file)
    {
        var path = Path.Combine(root, file);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var act = () => TsdSrPipeline.Load(Paths, Cpu);

        act.Should().Throw<SafetensorsFormatException>();
    }

    [Fact]
    public void Invalid_options_are_rejected_before_loading()
    {
        var act = () => TsdSrPipeline.Load(Paths, Cpu with { TransformerDtype = ScalarType.Int32 });
        act.Should().Throw<ArgumentException>().WithMessage("*TransformerDtype*");
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in new[] { "transformer", "vae", "lora", "embeddings" })
        {
            Directory.CreateDirectory(Path.Combine(to, dir));
            foreach (var file in Directory.GetFiles(Path.Combine(from, dir)))
            {
                File.Copy(file, Path.Combine(to, dir, Path.GetFileName(file)));
            }
        }
    }
}
