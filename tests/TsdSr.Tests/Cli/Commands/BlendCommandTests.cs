using TsdSr.Cli.Commands;
using TsdSr.Core.SafeTensors;
using TsdSr.Models.Lora;
using TsdSr.Tests.Models.Lora;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Cli.Commands;

/// <summary>
/// <c>tsdsr blend</c>: blends adapter folders file by file (or single files); refuses mixed, missing or mismatched inputs
/// and existing outputs without writing anything.
/// </summary>
public sealed class BlendCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-blendcmd-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static int Run(params string[] args) => BlendCommand.Create().Parse(args).Invoke();

    /// <summary>A student folder as training writes it: two adapter files.</summary>
    private string Student(string name, int seed)
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir, name)).FullName;
        manual_seed(seed);
        foreach (var file in new[] { "transformer.safetensors", "vae.safetensors" })
        {
            using var model = new ToyLoraModel();
            LoraAdapters.Add(model, "student", new LoraConfig { Rank = 2, Alpha = 2, TargetModules = ["to_q", "proj"], Init = LoraInit.Random });
            LoraFile.Save(model, "student", Path.Combine(folder, file));
        }

        return folder;
    }

    [Fact]
    public void Folders_are_blended_file_by_file_with_negative_weights_and_an_existing_output_is_kept()
    {
        var a = Student("a", 1);
        var b = Student("b", 2);
        var output = Path.Combine(dir, "out");

        Run("--term", $"1.5={a}", $"--term=-0.5={b}", "--output", output).Should().Be(ExitCodes.Success);

        foreach (var file in new[] { "transformer.safetensors", "vae.safetensors" })
        {
            var ta = SafetensorsFile.LoadAll(Path.Combine(a, file));
            var tb = SafetensorsFile.LoadAll(Path.Combine(b, file));
            foreach (var (key, value) in SafetensorsFile.LoadAll(Path.Combine(output, file)))
            {
                TensorAssert.Close(value, ta[key].mul(1.5f).sub(tb[key].mul(0.5f)), 1e-6, $"{file} {key}");
            }
        }

        var before = File.ReadAllBytes(Path.Combine(output, "vae.safetensors"));
        Run("--term", $"1={b}", "--output", output).Should().Be(ExitCodes.SetupFailed);
        File.ReadAllBytes(Path.Combine(output, "vae.safetensors")).Should().Equal(before);
        Run("--term", $"1={b}", "--output", output, "--overwrite").Should().Be(ExitCodes.Success);
        File.ReadAllBytes(Path.Combine(output, "vae.safetensors")).Should().Equal(File.ReadAllBytes(Path.Combine(b, "vae.safetensors")));
    }

    [Fact]
    public void Bad_terms_are_usage_errors_and_write_nothing()
    {
        var a = Student("a", 3);
        var b = Student("b", 4);
        File.Delete(Path.Combine(b, "vae.safetensors"));
        var output = Path.Combine(dir, "out");

        Run("--term", $"x={a}", "--output", output).Should().Be(ExitCodes.SetupFailed);
        Run("--term", a, "--output", output).Should().Be(ExitCodes.SetupFailed);
        Run("--term", $"1={Path.Combine(dir, "missing")}", "--output", output).Should().Be(ExitCodes.SetupFailed);
        Run("--term", $"1={a}", "--term", $"1={Path.Combine(a, "vae.safetensors")}", "--output", output).Should().Be(ExitCodes.SetupFailed);
        Run("--term", $"0.5={a}", "--term", $"0.5={b}", "--output", output).Should().Be(ExitCodes.SetupFailed, "the folders hold different files");
        Run("--term", $"1={a}", "--output", a).Should().Be(ExitCodes.SetupFailed, "the output is an input");
        Directory.Exists(output).Should().BeFalse();

        // A mismatch in the second file leaves no first file behind.
        var c = Student("c", 5);
        SafetensorsWriter.Save(Path.Combine(c, "vae.safetensors"), new Dictionary<string, Tensor> { ["transformer.proj_out.lora_A.weight"] = zeros(2, 8) });
        Run("--term", $"0.5={a}", "--term", $"0.5={c}", "--output", output).Should().Be(ExitCodes.SetupFailed);
        Directory.Exists(output).Should().BeFalse();
    }
}
