using System.Text.Json;
using TsdSr.Core.Configuration;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using TsdSr.Schedulers;
using TsdSr.Tests.Training;

namespace TsdSr.Tests.Core.Configuration;

/// <summary>Component configs are written as diffusers writes them, byte for byte as the shipped model's files.</summary>
public sealed class DiffusersConfigWriterTests
{
    private static readonly string Model = Path.Combine(TrainingTestSupport.RepoRoot(), "src", "TsdSr.Nano", "model");

    [Fact]
    public void The_shipped_nano_configs_read_back_and_write_to_the_same_bytes()
    {
        var vae = File.ReadAllText(Path.Combine(Model, "vae", "config.json"));
        var transformer = File.ReadAllText(Path.Combine(Model, "transformer", "config.json"));
        var scheduler = File.ReadAllText(Path.Combine(Model, "scheduler", "scheduler_config.json"));

        AutoencoderKLConfig.FromJson(vae).ToJson().Should().Be(vae);
        SD3TransformerConfig.FromJson(transformer).ToJson().Should().Be(transformer);
        FlowMatchEulerDiscreteSchedulerConfig.FromJson(scheduler).ToJson().Should().Be(scheduler);
    }

    [Fact]
    public void Class_name_and_version_come_first_and_nulls_and_arrays_are_written_as_diffusers_does()
    {
        var text = DiffusersConfigWriter.Write("Thing", w =>
        {
            w.WriteArray("ints", [1, 2]);
            w.WriteArray("names", ["a"]);
            w.WriteArrayOrNull("none", null);
            w.WriteArrayOrNull("doubles", [0.5]);
            w.WriteNumberOrNull("absent", null);
            w.WriteNumberOrNull("present", 1.25);
            w.WriteStringOrNull("missing", null);
            w.WriteStringOrNull("given", "x");
        });

        text.Should().EndWith("}\n");
        using var json = JsonDocument.Parse(text);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal(
            "_class_name", "_diffusers_version", "ints", "names", "none", "doubles", "absent", "present", "missing", "given");
        json.RootElement.GetProperty("_class_name").GetString().Should().Be("Thing");
        json.RootElement.GetProperty("_diffusers_version").GetString().Should().Be(DiffusersConfigWriter.DiffusersVersion);
        json.RootElement.GetProperty("none").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("absent").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("missing").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("present").GetDouble().Should().Be(1.25);
        json.RootElement.GetProperty("given").GetString().Should().Be("x");
        json.RootElement.GetProperty("ints").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(1, 2);
    }
}
