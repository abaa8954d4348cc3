using System.Text.RegularExpressions;
using TsdSr.Tests.Training;

namespace TsdSr.Tests.Reliability;

/// <summary>
/// A code audit of the GPU hot paths (models, the pipeline's loop, losses, the training step): every host round trip
/// (<c>.cpu()</c>, <c>.item&lt;T&gt;()</c>, <c>ToSingle()</c>/<c>ToDouble()</c>/<c>ToInt64()</c>, <c>data&lt;T&gt;()</c>) and
/// every tensor factory without a <c>device:</c> must be on the list below with its reason. libtorch's meta device cannot
/// run these models from C++ (no meta convolution outside Python), so this audit stands in for a device test; a new
/// occurrence fails until it is either made device-clean or listed here with why it is acceptable.
/// </summary>
public partial class DeviceCleanlinessAuditTests
{
    private static readonly string[] HotPaths = ["src/TsdSr.Models", "src/TsdSr.Inference/Pipeline", "src/TsdSr.Losses", "src/TsdSr.Training/Loop"];

    /// <summary>Allowed occurrences per file, with the reason.</summary>
    private static readonly Dictionary<string, (int Count, string Reason)> Allowed = new()
    {
        ["src/TsdSr.Models/Embeddings/SinCosPositionTable.cs"] = (2, "built once at construction on the CPU, moved with the module"),
        ["src/TsdSr.Losses/FakeScore/TimestepSampler.cs"] = (4, "drawn from the run's CPU generator so that runs repeat on any device; [batch] scalars"),
        ["src/TsdSr.Losses/Distillation/ScoreDistillation.cs"] = (1, "one non-finite count per distillation step (a guard), read once"),
        ["src/TsdSr.Training/Loop/DasmSubStepPlanner.cs"] = (1, "indices from the CPU generator, planned on the host"),
        ["src/TsdSr.Training/Loop/TrainingStep.cs"] = (8, "per-step metrics read once at the end of a phase that already synchronises (optimiser step, timings); teacher indices come from the CPU generator"),
        ["src/TsdSr.Models/Autoencoders/Tiling/ChannelMoments.cs"] = (1, "tiled VAE only: per-channel moments of one band ([channels] values) merged in double precision on the host, once per band"),
    };

    [Fact]
    public void Hot_paths_have_no_unlisted_host_round_trips_or_host_tensor_factories()
    {
        var root = TrainingTestSupport.RepoRoot();
        var found = new Dictionary<string, List<string>>();
        foreach (var folder in HotPaths)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
                {
                    continue;
                }

                var lines = File.ReadAllLines(file)
                    .Select((text, i) => (text, i))
                    .Where(l => !l.text.TrimStart().StartsWith("//", StringComparison.Ordinal) && Suspicious(l.text))
                    .Select(l => $"{relative}:{l.i + 1}: {l.text.Trim()}")
                    .ToList();
                if (lines.Count > 0)
                {
                    found[relative] = lines;
                }
            }
        }

        found.Should().NotBeEmpty("the scan must see the known, listed cases, or it scans nothing");
        var unlisted = found
            .Where(f => !Allowed.TryGetValue(f.Key, out var a) || f.Value.Count > a.Count)
            .SelectMany(f => f.Value)
            .ToList();
        unlisted.Should().BeEmpty("a hot path must not pull data to the host or create tensors without the input's device (or list it here with why)");
    }

    [Theory]
    [InlineData("var s = x.sum().item<float>();", true)]
    [InlineData("var c = x.cpu();", true)]
    [InlineData("var z = zeros(3, 4);", true)]
    [InlineData("var z = zeros(3, 4, device: x.device);", false)]
    [InlineData("var z = zeros_like(x);", false)]
    [InlineData("var r = randn(shape, dtype: x.dtype, device: x.device);", false)]
    public void The_scan_recognises_round_trips_and_host_factories(string line, bool expected) => Suspicious(line).Should().Be(expected);

    private static bool Suspicious(string line) =>
        RoundTrip().IsMatch(line) || (Factory().IsMatch(line) && !line.Contains("device", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"\.cpu\(\)|\.item<|\.ToSingle\(\)|\.ToDouble\(\)|\.ToInt64\(\)|\.data<")]
    private static partial Regex RoundTrip();

    [GeneratedRegex(@"(^|[^_.A-Za-z])(zeros|ones|empty|full|arange|linspace|randn|rand|randint|tensor)\(")]
    private static partial Regex Factory();
}
