using System.Globalization;
using TorchSharp;
using TsdSr.Core.Devices;
using TsdSr.Inference;
using TsdSr.Inference.Benchmarking;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Inference;

/// <summary>
/// The device benchmark (scripts/gpu/run-device-bench.sh): on one device and dtype, SD3-medium-sized random weights
/// with r 64 LoRA (merged, the inference default), for each output size N: the transformer's forward on one N/8
/// latent (N²/256 image tokens + 333 text tokens) and the whole N/4 → N upscale with default settings. Times are
/// synchronised (<see cref="DeviceTimer"/>), best of the repetitions after one warm-up; one JSON line per
/// measurement follows the table:
/// <c>dotnet run -c Release --project benchmarks/TsdSr.Benchmarks -- --device-series cuda|cpu [bf16] [sizes=512,1024] [reps=N] [tiny]</c>.
/// </summary>
public static class DeviceSeries
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--device-series";

    /// <summary>Runs; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var deviceName = args.ElementAtOrDefault(1) ?? "cuda";
        var dtype = args.Contains("bf16") ? ScalarType.BFloat16 : ScalarType.Float32;
        var sizes = (args.FirstOrDefault(a => a.StartsWith("sizes=", StringComparison.Ordinal))?[6..] ?? "512,1024")
            .Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        int reps = int.Parse(args.FirstOrDefault(a => a.StartsWith("reps=", StringComparison.Ordinal))?[5..] ?? "3", CultureInfo.InvariantCulture);
        var family = args.Contains("tiny") ? ModelFamily.Tiny : ModelFamily.Sd3Medium;
        // First, before anything loads the CPU backend alone: whether TorchSharp loaded the device's libtorch (and its
        // CUDA error if not) is itself a finding.
        Console.WriteLine($"torch diagnostics: {TorchDiagnostics.Collect()}");
        BenchmarkSetup.ConfigureTorch();
        var device = DeviceSelector.Resolve(deviceName);
        Console.WriteLine($"device {device}, {dtype}, {family}, sizes {string.Join(", ", sizes)}, best of {reps} after one warm-up");

        var (pipeline, transformer, vae) = RandomPipeline.Create(family, dtype, device: deviceName);
        using var ownedByPipeline = pipeline; // it owns the two models too
        var results = new List<(string Stage, int Size, double Seconds)>();
        using (no_grad())
        {
            foreach (var size in sizes)
            {
                using var inputs = StageInputs.Create(transformer, vae, RandomPipeline.PromptTokens(family), dtype, device, size);
                double forward = DeviceTimer.Best(device, reps, () => transformer.forward(inputs.Latent, inputs.Prompt, inputs.Pooled, inputs.Timestep).Dispose());
                results.Add(("transformer", size, forward));
                Report(results[^1], device, dtype);

                var image = RandomTsdSrModels.Image(size / 4, size / 4);
                double whole = DeviceTimer.Best(device, reps, () => pipeline.Upscale(image, new UpscaleSettings()));
                results.Add(("end-to-end", size, whole));
                Report(results[^1], device, dtype);
            }
        }

        foreach (var (stage, size, seconds) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"impl\":\"tsdsr\",\"stage\":\"{stage}\",\"size\":{size},\"dtype\":\"{(dtype == ScalarType.BFloat16 ? "bf16" : "fp32")}\",\"device\":\"{device}\",\"seconds\":{seconds:G6}}}"));
        }

        return 0;
    }

    private static void Report((string Stage, int Size, double Seconds) r, Device device, ScalarType dtype) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Stage,-12} {r.Size,5}²  {dtype,-9} {device}: {r.Seconds:F4} s"));
}
