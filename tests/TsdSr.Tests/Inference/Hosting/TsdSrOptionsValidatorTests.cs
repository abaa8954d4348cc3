using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TsdSr.Inference.Hosting;

namespace TsdSr.Tests.Inference.Hosting;

public sealed class TsdSrOptionsValidatorTests : IDisposable
{
    private readonly HostingTestFolders folders = new();

    public void Dispose() => folders.Dispose();

    [Fact]
    public void Valid_options_with_existing_folders_pass()
    {
        new TsdSrOptionsValidator().Validate(null, folders.Options()).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Overlap_equal_to_the_tile_size_is_rejected_naming_both_values()
    {
        var result = new TsdSrOptionsValidator().Validate(null, folders.Options(o => { o.LatentTileSize = 32; o.LatentTileOverlap = 32; }));

        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should().Be("LatentTileOverlap (32) must be smaller than LatentTileSize (32).");
    }

    [Theory]
    [InlineData(nameof(TsdSrOptions.ModelDirectory))]
    [InlineData(nameof(TsdSrOptions.LoraDirectory))]
    [InlineData(nameof(TsdSrOptions.EmbeddingsDirectory))]
    public void A_missing_weight_folder_is_reported_with_its_full_path(string option)
    {
        var missing = Path.Combine(folders.Root, "nowhere");
        var options = folders.Options(o => typeof(TsdSrOptions).GetProperty(option)!.SetValue(o, missing));

        var result = new TsdSrOptionsValidator().Validate(null, options);

        result.Failures.Should().ContainSingle().Which.Should().StartWith($"{option} '{missing}' does not exist");
    }

    [Theory]
    [InlineData("auto", true)]
    [InlineData("CPU", true)]
    [InlineData("cuda", true)]
    [InlineData("cuda:1", true)]
    [InlineData(" cuda:12 ", true)]
    [InlineData("gpu", false)]
    [InlineData("cuda:", false)]
    [InlineData("cuda:-1", false)]
    [InlineData("cuda:x", false)]
    [InlineData("", false)]
    public void Device_names_follow_auto_cpu_cuda_or_cuda_index(string device, bool valid)
    {
        TsdSrOptionsValidator.IsValidDevice(device).Should().Be(valid);
        var result = new TsdSrOptionsValidator().Validate(null, folders.Options(o => o.Device = device));
        result.Succeeded.Should().Be(valid);
        if (!valid)
        {
            result.Failures.Should().ContainSingle().Which.Should().Contain($"Device '{device}' is not valid");
        }
    }

    [Fact]
    public void Required_folders_and_ranges_are_checked_by_data_annotations_through_the_options_pipeline()
    {
        using var provider = Provider(o =>
        {
            o.ModelDirectory = "";
            o.Scale = 0;
            o.Threads = -1;
            o.MaxInputPixels = 0;
            o.LatentTileSize = 4;
        });

        var act = () => provider.GetRequiredService<IOptions<TsdSrOptions>>().Value;

        var failures = act.Should().Throw<OptionsValidationException>().Which.Failures.ToList();
        failures.Should().Contain(f => f.Contains("ModelDirectory is required"));
        failures.Should().Contain(f => f.Contains(nameof(TsdSrOptions.Scale)) && f.Contains("between 1 and 16"));
        failures.Should().Contain(f => f.Contains(nameof(TsdSrOptions.Threads)));
        failures.Should().Contain(f => f.Contains(nameof(TsdSrOptions.MaxInputPixels)));
        failures.Should().Contain(f => f.Contains(nameof(TsdSrOptions.LatentTileSize)) && f.Contains("between 8 and 1024"));
    }

    [Fact]
    public void A_missing_vae_spill_folder_is_reported_and_the_spill_settings_reach_the_upscale_settings()
    {
        var missing = Path.Combine(Path.GetTempPath(), "tsdsr-no-such-spill-folder");
        var result = new TsdSrOptionsValidator().Validate(null, folders.Options(o => o.VaeSpillDirectory = missing));
        result.Failures.Should().ContainSingle().Which.Should().Be($"VaeSpillDirectory '{missing}' does not exist: create it, or leave it unset for the system's temporary folder.");

        var settings = folders.Options(o => { o.VaeSpillDirectory = Path.GetTempPath(); o.VaeMaxInMemoryMapBytes = 1234; }).ToUpscaleSettings();
        settings.VaeSpillDirectory.Should().Be(Path.GetTempPath());
        settings.VaeMaxInMemoryMapBytes.Should().Be(1234);
        var negative = () => (settings with { VaeMaxInMemoryMapBytes = -1 }).Validate();
        negative.Should().Throw<ArgumentException>().WithMessage("MaxInMemoryBytes must not be negative (got -1).");
    }

    [Fact]
    public void Defaults_reproduce_the_reference_settings()
    {
        var options = new TsdSrOptions();
        var settings = options.ToUpscaleSettings();

        settings.Should().BeEquivalentTo(new TsdSr.Inference.UpscaleSettings());
        options.Device.Should().Be("auto");
        options.ResolveTransformerDtype(cuda: false).Should().Be(TsdSrDtype.Fp32);
        options.ResolveVaeDtype(cuda: false).Should().Be(TsdSrDtype.Fp32);
    }

    [Fact]
    public void Per_component_dtypes_override_the_shared_one()
    {
        var options = new TsdSrOptions { Dtype = TsdSrDtype.Bf16, VaeDtype = TsdSrDtype.Fp32 };

        options.ResolveTransformerDtype(cuda: false).Should().Be(TsdSrDtype.Bf16);
        options.ResolveVaeDtype(cuda: true).Should().Be(TsdSrDtype.Fp32);
    }

    [Fact]
    public void Image_limits_become_the_decoder_limits()
    {
        var load = new TsdSrOptions { MaxInputPixels = 1234, MaxInputFileBytes = 5678 }.ToImageLoadOptions();

        load.MaxPixels.Should().Be(1234);
        load.MaxFileBytes.Should().Be(5678);
    }

    private ServiceProvider Provider(Action<TsdSrOptions> change)
    {
        var services = new ServiceCollection();
        services.AddTsdSr(o =>
        {
            folders.Apply(o);
            change(o);
        });
        return services.BuildServiceProvider();
    }
}
