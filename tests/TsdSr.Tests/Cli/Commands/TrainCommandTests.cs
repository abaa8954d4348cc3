using System.CommandLine;
using System.Text.Json;
using TsdSr.Cli.Commands;
using TsdSr.Tests.Training.Runs;
using TsdSr.Training.Checkpoints;
using TsdSr.Training.Config;

namespace TsdSr.Tests.Cli.Commands;

/// <summary><c>tsdsr train</c> on the tiny fixture models: exit codes, messages, outputs.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly RunTestFolder folder = new(pairs: 2);

    public void Dispose() => folder.Dispose();

    private static async Task<(int Code, string Output, string Error)> Invoke(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var command = new RootCommand { TrainCommand.Create() };
        int code = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Training_with_a_max_steps_override_exits_0_and_names_the_exported_student()
    {
        var config = folder.Config(edit: j => j["checkpoint"]!["every"] = 1);

        var (code, output, error) = await Invoke("train", "--config", folder.ConfigPath!, "--max-steps", "2");

        code.Should().Be(0, error);
        var student = Path.Combine(config.OutputDir, "student");
        output.Should().Contain("Starting at step 0").And.Contain("step 2/2").And.Contain("Done: steps 0..2").And.Contain(student);
        File.Exists(Path.Combine(student, StudentExport.TransformerFileName)).Should().BeTrue();
        File.Exists(Path.Combine(student, StudentExport.VaeFileName)).Should().BeTrue();
        error.Should().Contain("info: Checkpoint of step 2");

        var (again, output2, error2) = await Invoke("train", "--config", folder.ConfigPath!, "--max-steps", "3");

        again.Should().Be(0, error2);
        output2.Should().Contain("Resuming at step 2").And.Contain("Done: steps 2..3 (1 this run)");
    }

    [Fact]
    public async Task Missing_files_exit_2_and_list_every_one()
    {
        var nowhere = Path.Combine(folder.Root, "nowhere");
        folder.Config(edit: j =>
        {
            j["models"]!["base_model"] = nowhere;
            j["data"]!["pair_folders"] = new System.Text.Json.Nodes.JsonArray(Path.Combine(nowhere, "pairs"));
        });

        var (code, _, error) = await Invoke("train", "--config", folder.ConfigPath!);

        code.Should().Be(2);
        error.Should().Contain("2 input(s) are missing").And.Contain("models.base_model").And.Contain("data.pair_folders").And.Contain(nowhere);
    }

    [Fact]
    public async Task An_invalid_config_exits_2_with_each_error_and_print_config_writes_loadable_json()
    {
        var bad = Path.Combine(folder.Root, "bad.json");
        File.WriteAllText(bad, """{ "max_steps": 0, "data": { "batch_size": 0 } }""");

        var (code, _, error) = await Invoke("train", "--config", bad);

        code.Should().Be(2);
        error.Should().Contain("max_steps must be at least 1").And.Contain("data.batch_size must be at least 1");

        var (printed, json, _) = await Invoke("train", "--print-config", "--max-steps", "7");

        printed.Should().Be(0);
        var parsed = JsonSerializer.Deserialize<TsdSrTrainingConfig>(json, TsdSrTrainingConfig.JsonOptions)!;
        parsed.MaxSteps.Should().Be(7);
        parsed.StudentOptimizer.Should().Be(new TsdSrTrainingConfig().StudentOptimizer);
    }
}
