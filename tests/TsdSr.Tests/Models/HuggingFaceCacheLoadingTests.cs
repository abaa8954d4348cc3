using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models;

/// <summary>Both models load from a Hugging Face cache repository folder, as left by a hub download.</summary>
public class HuggingFaceCacheLoadingTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("tsdsr-hf-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Transformer_and_vae_load_from_a_cache_repository_folder()
    {
        // models--org--name/{refs/main, snapshots/<commit>/{transformer,vae}/...}
        var repo = Path.Combine(root, "models--stabilityai--stable-diffusion-3-medium-diffusers");
        const string commit = "0123456789abcdef0123456789abcdef01234567";
        var snapshot = Path.Combine(repo, "snapshots", commit);
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        File.WriteAllText(Path.Combine(repo, "refs", "main"), commit);
        foreach (var component in new[] { "transformer", "vae" })
        {
            var target = Directory.CreateDirectory(Path.Combine(snapshot, component)).FullName;
            foreach (var file in Directory.GetFiles(FixturePaths.Get("tsdsr_pipeline_tiny", component)))
            {
                File.CreateSymbolicLink(Path.Combine(target, Path.GetFileName(file)), file);
            }
        }

        using var transformer = SD3Transformer2DModel.FromPretrained(repo);
        using var vae = AutoencoderKL.FromPretrained(repo, ScalarType.BFloat16);

        transformer.Config.NumLayers.Should().Be(2);
        vae.parameters().First().dtype.Should().Be(ScalarType.BFloat16);
    }
}
