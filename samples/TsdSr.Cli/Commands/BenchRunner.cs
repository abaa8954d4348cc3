using System.Globalization;
using TorchSharp;
using TsdSr.Core.Devices;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.Benchmarking;
using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Cli.Commands;

/// <summary>
/// The measurements of <c>tsdsr bench</c>: the CPU's GEMM throughput per dtype, then each stage of a 128→512 upscale
/// with random weights of the chosen family (VAE encode of the 512² input, the transformer pass, VAE decode) and the
/// whole upscale, each as the best of a few runs, with its analytic compute and its distance from the GEMM-speed floor.
/// On CUDA every time is taken with the device synchronised before and after (<see cref="DeviceTimer"/>), so it covers
/// the kernels and not only their launches.
/// </summary>
internal static class BenchRunner
{
    public static BenchReport Run(ModelFamily family, IReadOnlyList<ScalarType> dtypes, int repetitions, TextWriter log, Device? device = null, bool? vaeChannelsLast = null, bool? linearAsConvolution = null)
    {
        device ??= CPU;
        bool cuda = device.type == DeviceType.CUDA;
        var (cpu, features) = CpuInfo();
        var gemm = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var dtype in dtypes)
        {
            gemm[DtypeNames.Name(dtype)] = GemmGflops(dtype, device, log);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GEMM {DtypeNames.Name(dtype)}: {gemm[DtypeNames.Name(dtype)]:0.0} GFLOP/s"));
        }

        var stages = new List<BenchStage>();
        foreach (var dtype in dtypes)
        {
            log.WriteLine($"Building random {family} models in {DtypeNames.Name(dtype)} ...");
            var (pipeline, transformer, vae) = RandomPipeline.Create(family, dtype, device: device.ToString(), vaeChannelsLast: vaeChannelsLast, linearAsConvolution: linearAsConvolution);
            using (pipeline)
            {
                bool nhwc = pipeline.VaeChannelsLast;
                bool convolution = pipeline.LinearAsConvolution && LoraLinear.ConvolutionApplies(dtype, device.type);
                log.WriteLine($"  VAE {(nhwc ? "channels-last" : "contiguous")}, linear layers as {(convolution ? "1x1 convolutions" : "matrix products")}");
                long latentSide = 512 / vae.Config.DownsampleFactor;
                int tokens = RandomPipeline.PromptTokens(family);
                using var inputs = StageInputs.Create(transformer, vae, tokens, dtype, device);
                double rate = gemm[DtypeNames.Name(dtype)];
                void Add(string stage, double seconds, double flops)
                {
                    double floor = flops / (rate * 1e9);
                    stages.Add(new BenchStage(DtypeNames.Name(dtype), stage, seconds, flops / 1e9, floor, floor > 0 ? seconds / floor : 0, nhwc, convolution));
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {DtypeNames.Name(dtype),-5} {stage,-12} {seconds,8:0.000} s"));
                }

                Add("encode", DeviceTimer.Best(device, repetitions, () =>
                {
                    using var mode = inference_mode();
                    using var posterior = vae.Encode(inputs.Pixels);
                }), vae.Config.EncodeFlops(512, 512));
                Add("transformer", DeviceTimer.Best(device, repetitions, () =>
                {
                    using var mode = inference_mode();
                    using var v = transformer.forward(inputs.Latent, inputs.Prompt, inputs.Pooled, inputs.Timestep);
                }), transformer.Config.ForwardFlops(latentSide, latentSide, tokens));
                Add("decode", DeviceTimer.Best(device, repetitions, () =>
                {
                    using var mode = inference_mode();
                    using var image = vae.Decode(inputs.Latent);
                }), vae.Config.DecodeFlops(latentSide, latentSide));
                var input = RandomImage(128, 128);
                Add("end_to_end", DeviceTimer.Best(device, repetitions, () => pipeline.Upscale(input, new UpscaleSettings())), 0);
            }
        }

        var (recommendation, reason) = cuda ? RecommendCuda(stages) : Recommend(features, stages);
        return new BenchReport(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), cpu, features, torch.get_num_threads(),
            NativeAllocator.Describe(), device.ToString(), family.ToString(), vaeChannelsLast, linearAsConvolution, gemm, stages, recommendation, reason);
    }

    /// <summary>On a GPU the faster dtype end to end, as measured (CPU instruction sets do not apply).</summary>
    public static (string Dtype, string Reason) RecommendCuda(IReadOnlyList<BenchStage> stages)
    {
        double? fp32 = stages.FirstOrDefault(s => s.Dtype == "fp32" && s.Stage == "end_to_end")?.Seconds;
        double? bf16 = stages.FirstOrDefault(s => s.Dtype == "bf16" && s.Stage == "end_to_end")?.Seconds;
        if (fp32 is null || bf16 is null)
        {
            return (fp32 is null ? "bf16" : "fp32", "only one dtype was measured; run with --dtype fp32,bf16 to compare.");
        }

        return bf16 < fp32
            ? ("bf16", string.Create(CultureInfo.InvariantCulture, $"{fp32.Value / bf16.Value:0.00}x faster end to end than fp32 on this GPU."))
            : ("fp32", "bf16 was not faster end to end on this GPU.");
    }

    /// <summary>bf16 only where the CPU runs it natively (AVX-512 BF16 or AMX) and it measured faster end to end.</summary>
    public static (string Dtype, string Reason) Recommend(IReadOnlyList<string> features, IReadOnlyList<BenchStage> stages)
    {
        bool native = features.Contains("avx512_bf16") || features.Contains("amx_bf16");
        double? fp32 = stages.FirstOrDefault(s => s.Dtype == "fp32" && s.Stage == "end_to_end")?.Seconds;
        double? bf16 = stages.FirstOrDefault(s => s.Dtype == "bf16" && s.Stage == "end_to_end")?.Seconds;
        if (!native)
        {
            return ("fp32", "this CPU has no native bf16 arithmetic (neither AVX-512 BF16 nor AMX): bf16 would be emulated.");
        }

        if (fp32 is null || bf16 is null)
        {
            return ("fp32", "bf16 is native here, but only one dtype was measured; run with --dtype fp32,bf16 to compare.");
        }

        return bf16 < fp32
            ? ("bf16", string.Create(CultureInfo.InvariantCulture, $"native bf16, {fp32.Value / bf16.Value:0.00}x faster end to end than fp32 (at a small, measured accuracy cost: docs/inference.md)."))
            : ("fp32", "bf16 is native here but was not faster end to end.");
    }

    /// <summary>The better of the product's and the 1×1 convolution's rate (<see cref="GemmThroughput"/>), logging both.</summary>
    private static double GemmGflops(ScalarType dtype, Device device, TextWriter log)
    {
        var (product, convolution) = GemmThroughput.Measure(dtype, device);
        if (convolution is not { } viaConvolution)
        {
            return product;
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {DtypeNames.Name(dtype)} matrix product {product:0.0}, as a 1x1 convolution {viaConvolution:0.0} GFLOP/s"));
        return Math.Max(product, viaConvolution);
    }

    private static RgbImage RandomImage(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        new Random(1).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    private static (string Cpu, IReadOnlyList<string> Features) CpuInfo()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path))
        {
            return (Environment.ProcessorCount + " logical CPUs (model unknown)", []);
        }

        var lines = File.ReadLines(path).Take(64).ToList();
        string Value(string key) => lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var flags = Value("flags").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] interesting = ["avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_tile", "amx_int8"];
        return ($"{Value("model name")} ({Environment.ProcessorCount} logical CPUs)", interesting.Where(flags.Contains).ToArray());
    }
}
