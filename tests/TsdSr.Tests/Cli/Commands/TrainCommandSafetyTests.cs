using System.CommandLine;
using System.Text.Json.Nodes;
using TsdSr.Cli.Commands;
using TsdSr.Core.Files;
using TsdSr.Tests.TestSupport;
using TsdSr.Tests.Training.Runs;

namespace TsdSr.Tests.Cli.Commands;

/// <summary><c>tsdsr train</c> refuses what cannot work before loading, and only points to checkpoints that exist.</summary>
public sealed class TrainCommandSafetyTests : IDisposable
{
    private readonly RunTestFolder folder = new(pairs: 2);

    public void Dispose()
    {
        SpecialFiles.MakeWritable(folder.Root);
        folder.Dispose();
    }

    private static async Task<(int Code, string Output, string Error)> Invoke(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var command = new RootCommand { TrainCommand.Create() };
        int code = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_lora_rank_of_ten_to_the_eighth_is_refused_with_its_estimate_before_anything_loads()
    {
        folder.Config(edit: j => j["lora"]!["student_rank"] = 100_000_000);

        var (code, output, error) = await Invoke("train", "--config", folder.ConfigPath!);

        code.Should().Be(2);
        error.Should().Contain("Refusing to build the training run").And.Contain("lora.student_rank 100000000").And.Contain("TiB");
        output.Should().NotContain("Starting at step");
    }

    [Fact]
    public async Task A_read_only_output_dir_is_refused_before_loading_and_no_checkpoint_is_claimed()
    {
        var readOnly = SpecialFiles.UnwritableFolder(folder.Root);
        folder.Config(edit: j => j["output_dir"] = Path.Combine(readOnly, "run"));

        var (code, _, error) = await Invoke("train", "--config", folder.ConfigPath!);

        code.Should().Be(2);
        error.Should().Contain("output_dir:").And.Contain("not writable");
        error.Should().NotContain("intact");
    }

    [Fact]
    public async Task A_run_that_fails_before_its_first_checkpoint_says_none_was_written()
    {
        var config = folder.Config(edit: j => j["logging"] = new JsonObject { ["metrics_csv"] = folder.Root });

        var (code, _, error) = await Invoke("train", "--config", folder.ConfigPath!, "--max-steps", "2");

        code.Should().Be(1, error);
        error.Should().Contain("Training failed:").And.Contain($"No checkpoint was written to '{Path.Combine(config.OutputDir, "checkpoints")}'");
        error.Should().NotContain("intact");
    }

    [Fact]
    public async Task A_second_run_into_the_same_output_dir_is_refused()
    {
        var config = folder.Config();
        using var held = OutputFolderLock.Acquire(config.OutputDir, "another tsdsr train");

        var (code, _, error) = await Invoke("train", "--config", folder.ConfigPath!);

        code.Should().Be(2);
        error.Should().Contain($"Another run is writing to '{config.OutputDir}'");
    }
}
