using Microsoft.Extensions.Options;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.ColorFix;
using TsdSr.Inference.Hosting;
using TsdSr.Tests.Inference.Hosting;

namespace TsdSr.Tests.Inference;

public sealed class UpscaleSettingsTests : IDisposable
{
    private readonly HostingTestFolders folders = new();
    private readonly FakeTsdSrPipelineFactory factory = new();

    public void Dispose() => folders.Dispose();

    [Fact]
    public void The_defaults_are_valid()
    {
        new UpscaleSettings().Problems().Should().BeEmpty();
    }

    [Fact]
    public void Every_invalid_setting_is_listed_with_its_range_and_value()
    {
        var settings = new UpscaleSettings
        {
            Scale = 32,
            ProcessSize = -1,
            LatentTileSize = 4,
            LatentTileBatchSize = 0,
            VaeEncoderTileSize = 32,
            VaeDecoderTileSize = 2048,
            MaxProcessPixels = 0,
            MaxAspectRatio = 0.5,
            ColorFix = (ColorFixMode)42,
        };

        settings.Problems().Should().Equal(
            "Scale must be between 1 and 16 (got 32).",
            "ProcessSize must be between 0 and 8192 (got -1).",
            "LatentTileSize must be between 8 and 1024 (got 4).",
            "LatentTileBatchSize must be between 1 and 64 (got 0).",
            "VaeEncoderTileSize must be between 64 and 8192 (got 32).",
            "VaeDecoderTileSize must be between 8 and 1024 (got 2048).",
            "ColorFix must be wavelet, adain or none (got 42).",
            "MaxProcessPixels must be at least 1 (got 0).",
            "MaxAspectRatio must be between 1 and 65536 (got 0.5).");
    }

    [Fact]
    public void Validate_throws_with_every_problem()
    {
        var act = () => new UpscaleSettings { Scale = 0, LatentTileSize = 16, LatentTileOverlap = 16 }.Validate();

        act.Should().Throw<ArgumentException>().WithMessage(
            "Scale must be between 1 and 16 (got 0). LatentTileOverlap (16) must be smaller than LatentTileSize (16).");
    }

    [Fact]
    public async Task A_per_call_scale_of_32_fails_the_same_way_as_the_same_value_in_the_options()
    {
        const string expected = "Scale must be between 1 and 16 (got 32).";

        var options = new TsdSrOptionsValidator().Validate(null, folders.Options(o => o.Scale = 32));
        options.Failures.Should().Equal(expected);

        using var upscaler = new TsdSrUpscaler(Options.Create(folders.Options()), factory);
        var perCall = () => upscaler.UpscaleAsync(new RgbImage(2, 2, new byte[12]), new UpscaleSettings { Scale = 32 });
        (await perCall.Should().ThrowAsync<ArgumentException>()).WithMessage(expected);
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public void The_options_hold_one_settings_record_as_their_defaults()
    {
        var settings = new UpscaleSettings { Scale = 2, ColorFix = ColorFixMode.AdaIn, Seed = 7, MaxAspectRatio = 3 };
        var options = new TsdSrOptions().UseUpscaleSettings(settings);

        options.ToUpscaleSettings().Should().Be(settings);
        options.Scale.Should().Be(2);
        options.ColorFix.Should().Be(ColorFixMode.AdaIn);

        options.ProcessSize = 256;
        options.ToUpscaleSettings().Should().Be(settings with { ProcessSize = 256 });
        settings.ProcessSize.Should().Be(512, "the record given is not changed by later option writes");
    }
}
