using TsdSr.Core.Layout;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Core.Layout;

public class DiffusersLayoutTests : IDisposable
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-layout-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A miniature SD3 pipeline folder built from the small fixture files.</summary>
    private string BuildPipeline(string root, bool withIndex = true)
    {
        Directory.CreateDirectory(root);
        if (withIndex)
        {
            File.WriteAllText(Path.Combine(root, "model_index.json"), "{\"_class_name\":\"StableDiffusion3Pipeline\"}");
        }

        Copy("sd3_transformer_tiny", "config.json", Path.Combine(root, "transformer"));
        Copy("sd3_transformer_tiny", "diffusion_pytorch_model.safetensors", Path.Combine(root, "transformer"));
        Copy("sd3_vae_tiny", "config.json", Path.Combine(root, "vae"));
        Copy("sd3_vae_tiny", "diffusion_pytorch_model.safetensors", Path.Combine(root, "vae"));
        Copy("flow_match_scheduler", "scheduler_config.json", Path.Combine(root, "scheduler"));
        return root;
    }

    private static void Copy(string fixture, string file, string toFolder, string? toName = null)
    {
        Directory.CreateDirectory(toFolder);
        File.Copy(FixturePaths.Get(fixture, file), Path.Combine(toFolder, toName ?? file));
    }

    private string BuildCache(bool withRef = true)
    {
        var repo = Path.Combine(dir, "models--stabilityai--stable-diffusion-3-medium-diffusers");
        BuildPipeline(Path.Combine(repo, "snapshots", Commit));
        Directory.CreateDirectory(Path.Combine(repo, "blobs"));
        if (withRef)
        {
            Directory.CreateDirectory(Path.Combine(repo, "refs"));
            File.WriteAllText(Path.Combine(repo, "refs", "main"), Commit + "\n");
        }

        return repo;
    }

    [Theory]
    [InlineData("transformer")]
    [InlineData("vae")]
    public void A_pipeline_root_resolves_model_components(string component)
    {
        var root = BuildPipeline(Path.Combine(dir, "sd3"));
        var paths = DiffusersLayout.Resolve(root, component);
        paths.Component.Should().Be(component);
        paths.Directory.Should().Be(Path.Combine(root, component));
        paths.ConfigPath.Should().Be(Path.Combine(root, component, "config.json"));
        paths.WeightsPath.Should().Be(Path.Combine(root, component, "diffusion_pytorch_model.safetensors"));
    }

    [Fact]
    public void The_scheduler_resolves_to_its_scheduler_config_and_no_weights()
    {
        var root = BuildPipeline(Path.Combine(dir, "sd3"));
        var paths = DiffusersLayout.Resolve(root, "scheduler");
        paths.ConfigPath.Should().Be(Path.Combine(root, "scheduler", "scheduler_config.json"));
        paths.WeightsPath.Should().BeNull();
    }

    [Fact]
    public void A_root_without_model_index_but_with_component_folders_works()
    {
        var root = BuildPipeline(Path.Combine(dir, "loose"), withIndex: false);
        DiffusersLayout.Resolve(root, "vae").WeightsPath.Should().EndWith(Path.Combine("vae", "diffusion_pytorch_model.safetensors"));
    }

    [Fact]
    public void The_model_index_file_itself_may_be_given()
    {
        var root = BuildPipeline(Path.Combine(dir, "sd3"));
        DiffusersLayout.Resolve(Path.Combine(root, "model_index.json"), "transformer").Directory.Should().Be(Path.Combine(root, "transformer"));
    }

    [Fact]
    public void A_component_folder_given_directly_resolves_to_itself()
    {
        var root = BuildPipeline(Path.Combine(dir, "sd3"));
        var vae = Path.Combine(root, "vae");
        var paths = DiffusersLayout.Resolve(vae, "vae");
        paths.Directory.Should().Be(vae);
        paths.WeightsPath.Should().Be(Path.Combine(vae, "diffusion_pytorch_model.safetensors"));
    }

    [Fact]
    public void Sharded_weights_and_model_safetensors_are_accepted_in_order()
    {
        var folder = Path.Combine(dir, "comp");
        Copy("sd3_vae_tiny", "config.json", folder);
        File.WriteAllText(Path.Combine(folder, "model.safetensors"), "");
        DiffusersLayout.Resolve(folder, "vae").WeightsPath.Should().Be(Path.Combine(folder, "model.safetensors"));

        File.WriteAllText(Path.Combine(folder, "diffusion_pytorch_model.safetensors.index.json"), "{}");
        DiffusersLayout.Resolve(folder, "vae").WeightsPath.Should().Be(Path.Combine(folder, "diffusion_pytorch_model.safetensors.index.json"));
    }

    [Fact]
    public void A_variant_selects_its_own_weight_file()
    {
        var folder = Path.Combine(dir, "comp");
        Copy("sd3_vae_tiny", "config.json", folder);
        Copy("sd3_vae_tiny", "diffusion_pytorch_model.safetensors", folder);
        Copy("sd3_vae_tiny", "diffusion_pytorch_model.safetensors", folder, "diffusion_pytorch_model.fp16.safetensors");
        DiffusersLayout.Resolve(folder, "vae", variant: "fp16").WeightsPath.Should().EndWith("diffusion_pytorch_model.fp16.safetensors");
    }

    [Fact]
    public void A_hugging_face_cache_folder_follows_refs_main_to_its_snapshot()
    {
        var repo = BuildCache();
        var paths = DiffusersLayout.Resolve(repo, "transformer");
        paths.Directory.Should().Be(Path.Combine(repo, "snapshots", Commit, "transformer"));
        File.Exists(paths.WeightsPath).Should().BeTrue();
    }

    [Fact]
    public void Snapshot_files_may_be_symbolic_links_into_blobs()
    {
        var repo = BuildCache();
        var weights = Path.Combine(repo, "snapshots", Commit, "vae", "diffusion_pytorch_model.safetensors");
        var blob = Path.Combine(repo, "blobs", "abc123");
        File.Move(weights, blob);
        File.CreateSymbolicLink(weights, Path.Combine("..", "..", "..", "blobs", "abc123"));
        DiffusersLayout.Resolve(repo, "vae").WeightsPath.Should().Be(weights);
        using var file = TsdSr.Core.SafeTensors.SafetensorsFile.Open(weights);
        file.Tensors.Should().NotBeEmpty();
    }

    [Fact]
    public void A_snapshot_folder_given_directly_is_a_pipeline_root()
    {
        var repo = BuildCache();
        var snapshot = Path.Combine(repo, "snapshots", Commit);
        DiffusersLayout.Resolve(snapshot, "vae").Directory.Should().Be(Path.Combine(snapshot, "vae"));
    }

    [Fact]
    public void A_cache_without_refs_uses_its_only_snapshot_or_a_named_commit()
    {
        var repo = BuildCache(withRef: false);
        DiffusersLayout.ResolveRoot(repo).Should().Be(Path.Combine(repo, "snapshots", Commit));
        DiffusersLayout.ResolveRoot(repo, revision: Commit).Should().Be(Path.Combine(repo, "snapshots", Commit));
    }

    [Fact]
    public void A_ref_naming_a_missing_snapshot_lists_the_snapshots_present()
    {
        var repo = BuildCache();
        File.WriteAllText(Path.Combine(repo, "refs", "main"), "ffffffffffffffffffffffffffffffffffffffff");
        var act = () => DiffusersLayout.Resolve(repo, "vae");
        act.Should().Throw<DirectoryNotFoundException>()
            .WithMessage($"*refs*main*ffffffffffffffffffffffffffffffffffffffff*snapshots present: {Commit}*");
    }

    [Fact]
    public void An_unknown_revision_is_reported_with_the_ref_file_expected()
    {
        var repo = BuildCache();
        var act = () => DiffusersLayout.Resolve(repo, "vae", revision: "dev");
        act.Should().Throw<DirectoryNotFoundException>().WithMessage($"*{Path.Combine(repo, "refs", "dev")}*snapshot 'dev'*");
    }

    [Fact]
    public void A_missing_path_gives_DirectoryNotFoundException_with_the_path()
    {
        var missing = Path.Combine(dir, "not-here");
        var act = () => DiffusersLayout.Resolve(missing, "transformer");
        act.Should().Throw<DirectoryNotFoundException>().WithMessage($"*{missing}*");
    }

    [Fact]
    public void A_missing_component_lists_the_expected_folder_and_the_folders_present()
    {
        var root = BuildPipeline(Path.Combine(dir, "sd3"));
        var act = () => DiffusersLayout.Resolve(root, "text_encoder");
        act.Should().Throw<DirectoryNotFoundException>()
            .WithMessage($"*'text_encoder'*{Path.Combine(root, "text_encoder")}*model_index.json present*scheduler, transformer, vae*");
    }

    [Fact]
    public void A_missing_config_names_the_expected_file()
    {
        var root = BuildPipeline(Path.Combine(dir, "sd3"));
        var config = Path.Combine(root, "vae", "config.json");
        File.Delete(config);
        var act = () => DiffusersLayout.Resolve(root, "vae");
        act.Should().Throw<FileNotFoundException>().Which.FileName.Should().Be(config);
    }

    [Fact]
    public void Missing_weights_list_every_expected_file_name_and_the_files_present()
    {
        var root = BuildPipeline(Path.Combine(dir, "sd3"));
        File.Delete(Path.Combine(root, "transformer", "diffusion_pytorch_model.safetensors"));
        var act = () => DiffusersLayout.Resolve(root, "transformer");
        act.Should().Throw<FileNotFoundException>().WithMessage(
            "*transformer*has no weights*diffusion_pytorch_model.safetensors, diffusion_pytorch_model.safetensors.index.json, model.safetensors*Files present: config.json*");
    }

    [Theory]
    [InlineData("../vae")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void A_component_name_with_a_path_is_refused(string component)
    {
        var act = () => DiffusersLayout.Resolve(dir, component);
        act.Should().Throw<ArgumentException>();
    }
}
