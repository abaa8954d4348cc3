using System.CommandLine;
using TsdSr.Cli.Commands;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Cli.Commands;

/// <summary><c>tsdsr info</c>: the configuration as diffusers names its keys.</summary>
public sealed class InfoCommandTests
{
    [Fact]
    public async Task The_config_keys_are_the_diffusers_names()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var model = FixturePaths.Get("tsdsr_pipeline_tiny");

        int code = await new RootCommand { InfoCommand.Create() }.Parse(["info", "--model", model]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        code.Should().Be(0, error.ToString());
        var text = output.ToString();
        text.Should().Contain("[transformer]").And.Contain("[vae]");
        text.Should().Contain("\"_class_name\": \"SD3Transformer2DModel\"").And.Contain("\"num_layers\":");
        text.Should().Contain("\"_class_name\": \"AutoencoderKL\"").And.Contain("\"latent_channels\":");
        text.Should().NotContain("\"NumLayers\"").And.NotContain("\"LatentChannels\"");
    }

    [Fact]
    public async Task A_folder_that_is_no_model_exits_1_with_its_reason()
    {
        var empty = Directory.CreateTempSubdirectory("tsdsr-info-").FullName;
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            int code = await new RootCommand { InfoCommand.Create() }.Parse(["info", "--model", empty]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

            code.Should().Be(1);
            error.ToString().Should().Contain("has neither a config.json nor transformer/ or vae/ subfolders");
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
