using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TorchSharp;
using TsdSr.Core.Devices;
using TsdSr.Inference.Benchmarking;

namespace TsdSr.Cli.Commands;

/// <summary>
/// <c>tsdsr bench</c>: measures this machine — GEMM throughput, each stage of a 128→512 upscale with random weights
/// (SD3-medium sizes by default, or nano), the whole upscale, and each stage's distance from its FLOP floor — and
/// recommends a dtype. Prints a table, optionally writes JSON.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var family = new Option<string>("--model") { Description = "Model sizes to time: sd3-medium (the released TSD-SR; ~12 GB of RAM, minutes) or nano.", DefaultValueFactory = _ => "sd3-medium" };
        family.AcceptOnlyFromAmong("sd3-medium", "nano", "tiny");
        var dtypes = new Option<string>("--dtype") { Description = "Comma-separated dtypes to time: fp32, bf16.", DefaultValueFactory = _ => "fp32,bf16" };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed runs per stage after one warm-up (the best is reported).", DefaultValueFactory = _ => 2 };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: libtorch's choice)." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the report as JSON to this file (not replaced if it exists)." };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N: where to measure (CUDA times are synchronised).", DefaultValueFactory = _ => "cpu" };
        var layout = new Option<string>("--vae-layout")
        {
            Description = "The VAE's memory layout, the pipeline option VaeChannelsLast: auto (the pipeline's default: channels-last for bf16 on the CPU), contiguous or channels-last.",
            DefaultValueFactory = _ => "auto",
        };
        layout.AcceptOnlyFromAmong("auto", "contiguous", "channels-last");
        var linear = new Option<string>("--fp32-linear")
        {
            Description = "How fp32 linear layers compute, the pipeline option LinearAsConvolution: auto (the pipeline's default: 1x1 convolutions on AMD CPUs), product or convolution.",
            DefaultValueFactory = _ => "auto",
        };
        linear.AcceptOnlyFromAmong("auto", "product", "convolution");
        var command = new Command("bench", "Measure this machine: GEMM throughput, each stage of a 128->512 upscale with random weights (LoRA merged, as the pipeline loads it), efficiency against the FLOP floor, and the dtype to use.")
        {
            family, dtypes, repetitions, threads, json, device, layout, linear,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var list = new List<torch.ScalarType>();
            foreach (var name in parse.GetValue(dtypes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!DtypeNames.TryParse(name, out var parsed) || parsed == torch.ScalarType.Float16)
                {
                    error.WriteLine($"--dtype: '{name}' is not fp32 or bf16.");
                    return 2;
                }

                list.Add(parsed);
            }

            int reps = parse.GetValue(repetitions);
            if (list.Count == 0 || reps < 1)
            {
                error.WriteLine("Give at least one dtype and at least one repetition.");
                return 2;
            }

            var target = parse.GetValue(json);
            if (target is { Exists: true })
            {
                error.WriteLine($"'{target.FullName}' exists; it is not replaced. Choose another --json file.");
                return 2;
            }

            torch.Device where;
            try
            {
                where = DeviceSelector.Resolve(parse.GetValue(device)!);
            }
            catch (Exception e) when (e is ArgumentException or TorchBackendException)
            {
                error.WriteLine($"--device: {e.Message}");
                return 2;
            }

            if (parse.GetValue(threads) is { } n)
            {
                torch.set_num_threads(n);
            }

            var selected = parse.GetValue(family) switch
            {
                "nano" => ModelFamily.Nano,
                "tiny" => ModelFamily.Tiny,
                _ => ModelFamily.Sd3Medium,
            };
            var report = BenchRunner.Run(selected, list, reps, error, where, parse.GetValue(layout) switch { "contiguous" => false, "channels-last" => true, _ => null },
                parse.GetValue(linear) switch { "product" => false, "convolution" => true, _ => null });
            Print(report, output);
            if (target is not null)
            {
                File.WriteAllText(target.FullName, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }) + "\n");
            }

            return 0;
        });
        return command;
    }

    private static void Print(BenchReport r, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"{r.Date}  {r.Cpu}  [{string.Join(' ', r.CpuFeatures)}]  {r.Threads} threads  malloc {r.Allocator}  device {r.Device}  {r.Family} sizes, VAE layout {(r.VaeChannelsLast is { } forced ? (forced ? "channels-last" : "contiguous") : "auto")}, fp32 linear {(r.LinearAsConvolution is { } asked ? (asked ? "convolution" : "product") : "auto")}");
        output.WriteLine(string.Join("  ", r.GemmGflops.Select(g => string.Create(c, $"GEMM {g.Key} {g.Value:0.0} GFLOP/s"))));
        output.WriteLine();
        output.WriteLine("| dtype | VAE | linear | stage | seconds | GFLOP | floor (s) | x floor |");
        output.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var s in r.Stages)
        {
            output.WriteLine(s.Gflop > 0
                ? string.Create(c, $"| {s.Dtype} | {Layout(s)} | {Linear(s)} | {s.Stage} | {s.Seconds:0.000} | {s.Gflop:0.0} | {s.FloorSeconds:0.000} | {s.TimesFloor:0.00} |")
                : string.Create(c, $"| {s.Dtype} | {Layout(s)} | {Linear(s)} | {s.Stage} | {s.Seconds:0.000} | | | |"));
        }

        output.WriteLine();
        output.WriteLine($"Recommended dtype: {r.Recommendation} ({r.Reason})");
        if (r.Device == "cpu" && NativeAllocator.IsGlibc(r.Allocator))
        {
            output.WriteLine("Tip: " + NativeAllocator.GlibcHint);
        }
    }

    private static string Layout(BenchStage s) => s.VaeChannelsLast ? "NHWC" : "NCHW";

    private static string Linear(BenchStage s) => s.LinearAsConvolution ? "conv" : "product";
}
