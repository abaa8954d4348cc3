using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;
using TsdSr.Models;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Models;

/// <summary>
/// Load memory and time, the way weights were loaded before (fp32 modules with random init, then the weights, then the
/// cast: "build twice") against <c>FromPretrained</c> now (allocated once in the target dtype, no init). Interleaved in
/// one process, each phase's peak RSS measured from a reset of the kernel's high-water mark and reported above the
/// RSS at its start:
/// <c>dotnet run -c Release --project benchmarks/TsdSr.Benchmarks -- --load-series make DIR [layers=N]</c> writes an
/// SD3-medium-width transformer of N blocks (default 8) and the SD3 VAE with random fp16 weights (SD3-medium's file
/// dtype); <c>--load-series run DIR [bf16] [rounds=N] [only=before|now]</c> loads it alternately both ways (in one process the
/// allocator reuses what the previous phase freed, so <c>only=</c> in fresh processes gives the clean peaks);
/// <c>--load-series profile FILE [bf16]</c> splits one file's load into its parts (<see cref="LoadProfile"/>).
/// </summary>
public static class LoadSeries
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--load-series";

    /// <summary>Runs; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        if (args.Length < 3 || args[1] is not ("make" or "run" or "profile"))
        {
            Console.Error.WriteLine($"usage: {Switch} make DIR [layers=N] | {Switch} run DIR [bf16] [rounds=N] | {Switch} profile FILE [bf16]");
            return 2;
        }

        BenchmarkSetup.ConfigureTorch();
        var dir = args[2];
        if (args[1] == "profile")
        {
            return LoadProfile.Run(dir, args.Contains("bf16") ? ScalarType.BFloat16 : ScalarType.Float32);
        }

        return args[1] == "make" ? Make(dir, BenchmarkSetup.IntArg(args, "layers=", 8)) : Measure(dir, args.Contains("bf16") ? ScalarType.BFloat16 : ScalarType.Float32, BenchmarkSetup.IntArg(args, "rounds=", 2),
            args.FirstOrDefault(a => a.StartsWith("only=", StringComparison.Ordinal))?[5..]);
    }

    private static int Make(string dir, int layers)
    {
        var tConfig = SD3TransformerConfig.Sd3Medium with { NumLayers = layers };
        var vConfig = AutoencoderKLConfig.Sd3;
        using (no_grad())
        {
            // Built in fp16 with no init and filled here: generating the file never holds an fp32 copy.
            using (ModelConstruction.ForLoading(ScalarType.Float16))
            {
                using var t = new SD3Transformer2DModel(tConfig);
                Write(t, Path.Combine(dir, "transformer"), tConfig.ToJson());
                using var v = new AutoencoderKL(vConfig);
                Write(v, Path.Combine(dir, "vae"), vConfig.ToJson());
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {dir}: transformer {tConfig.ParameterCount(includePositionTable: true) / 1e9:F2} B parameters ({layers} blocks of width {tConfig.InnerDim}), SD3 VAE, fp16"));
        return 0;
    }

    private static void Write(nn.Module model, string folder, string json)
    {
        Directory.CreateDirectory(folder);
        var generator = new Generator(1);
        foreach (var (_, p) in model.named_parameters())
        {
            p.normal_(0, 0.02, generator);
        }

        File.WriteAllText(Path.Combine(folder, "config.json"), json);
        SafetensorsWriter.Save(Path.Combine(folder, "diffusion_pytorch_model.safetensors"), model.state_dict());
    }

    private static int Measure(string dir, ScalarType dtype, int rounds, string? only)
    {
        // libtorch and the runtime, loaded before the first phase so that they are not counted in it.
        using (var warm = ones(1))
        {
        }

        Console.WriteLine($"load of {dir} in {dtype}, {rounds} rounds, interleaved; peak = VmHWM − RSS at the phase's start");
        for (int round = 0; round < rounds; round++)
        {
            if (only != "now")
            {
                Phase("before (fp32 + init, load, cast)", () => LoadTwice(dir, dtype));
            }

            if (only != "before")
            {
                Phase("now (FromPretrained, no init)  ", () => LoadOnce(dir, dtype));
            }
        }

        return 0;
    }

    private static void Phase(string label, Func<(nn.Module, nn.Module)> load)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        double start = BenchmarkSetup.CurrentRssMiB();
        BenchmarkSetup.ResetPeakRss();
        var clock = Stopwatch.StartNew();
        var (t, v) = load();
        clock.Stop();
        double peak = BenchmarkSetup.PeakRssMiB();
        double resident = BenchmarkSetup.CurrentRssMiB();
        long bytes = t.parameters().Concat(v.parameters()).Sum(p => p.NumberOfElements * p.ElementSize);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label}: {clock.Elapsed.TotalSeconds,6:F1} s, process peak {peak,6:F0} MiB, peak +{peak - start,6:F0} MiB over the phase's start, resident after +{resident - start,6:F0} MiB, parameters {bytes / 1048576.0,6:F0} MiB, peak/parameters {(peak - start) / (bytes / 1048576.0):F2}"));
        t.Dispose();
        v.Dispose();
    }

    // The loading code as it was: fp32 modules with random init, strict load, then the cast.
    private static (nn.Module, nn.Module) LoadTwice(string dir, ScalarType dtype)
    {
        using var noGrad = no_grad();
        var t = new SD3Transformer2DModel(SD3TransformerConfig.FromFile(Path.Combine(dir, "transformer", "config.json")));
        using (var source = TensorSources.Open(Path.Combine(dir, "transformer", "diffusion_pytorch_model.safetensors")))
        {
            WeightLoader.Load(t, source);
        }

        t.to(dtype);
        var v = new AutoencoderKL(AutoencoderKLConfig.FromFile(Path.Combine(dir, "vae", "config.json")));
        using (var source = TensorSources.Open(Path.Combine(dir, "vae", "diffusion_pytorch_model.safetensors")))
        {
            WeightLoader.Load(v, source);
        }

        v.to(dtype);
        return (t, v);
    }

    private static (nn.Module, nn.Module) LoadOnce(string dir, ScalarType dtype)
    {
        using var noGrad = no_grad();
        return (SD3Transformer2DModel.FromPretrained(Path.Combine(dir, "transformer"), dtype), AutoencoderKL.FromPretrained(Path.Combine(dir, "vae"), dtype));
    }
}
