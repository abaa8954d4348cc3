using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TsdSr.Models.Autoencoders;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Models;

/// <summary>
/// Peak memory and time of the VAE mid-block attention, interleaved in one process, each phase's peak RSS measured
/// from a reset of the kernel's high-water mark above the RSS at its start:
/// <c>dotnet run -c Release --project benchmarks/TsdSr.Benchmarks -- --vae-attention side=N [channels=C] [bf16] [decode=nano|tiny]</c>.
/// Without <c>decode</c>: one attention over side² tokens of width C (single head, as in the VAE) computed three
/// ways: the score matrix materialised (softmax(QKᵀ/√d)·V, what SDPA's math fallback does), one SDPA call, and SDPA in
/// query chunks of <see cref="VaeAttention.DefaultScoreBudgetBytes"/>. With <c>decode</c>: a whole decode of a side²
/// latent by the randomly initialised Nano / Tiny VAE with the chunking off (unbounded budget) and on (default).
/// </summary>
public static class VaeAttentionSeries
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--vae-attention";

    /// <summary>Runs; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        int side = BenchmarkSetup.IntArg(args, "side=", 128), channels = BenchmarkSetup.IntArg(args, "channels=", 512);
        BenchmarkSetup.ConfigureTorch();
        var dtype = args.Contains("bf16") ? ScalarType.BFloat16 : ScalarType.Float32;
        using var noGrad = no_grad();
        if (args.FirstOrDefault(a => a.StartsWith("decode=", StringComparison.Ordinal)) is { } decode)
        {
            return Decode(decode[7..] == "tiny" ? AutoencoderKLConfig.Tiny : AutoencoderKLConfig.Nano, side, dtype);
        }

        long n = (long)side * side;
        var g = new Generator(1);
        using var q = randn(new long[] { 1, 1, n, channels }, generator: g).to(dtype);
        using var k = randn(new long[] { 1, 1, n, channels }, generator: g).to(dtype);
        using var v = randn(new long[] { 1, 1, n, channels }, generator: g).to(dtype);
        Console.WriteLine($"attention over {n} tokens × {channels}, {dtype}: full score matrix {n * n * q.ElementSize / 1048576.0:F0} MiB");
        var reference = Phase("SDPA, one call", () => VaeAttention.Attend(q, k, v, long.MaxValue), null);
        using (reference)
        {
            Phase($"SDPA in query chunks ({VaeAttention.DefaultScoreBudgetBytes >> 20} MiB)", () => VaeAttention.Attend(q, k, v, VaeAttention.DefaultScoreBudgetBytes), reference).Dispose();
            Phase("materialised softmax(QKᵀ/√d)V", () =>
            {
                using var scores = q.matmul(k.transpose(-1, -2)).mul_(1 / Math.Sqrt(channels));
                using var weights = scores.softmax(-1);
                return weights.matmul(v);
            }, reference).Dispose();
        }

        return 0;
    }

    private static int Decode(AutoencoderKLConfig config, int side, ScalarType dtype)
    {
        manual_seed(1);
        using var vae = new AutoencoderKL(config);
        vae.to(dtype);
        vae.eval();
        using var latent = randn(new long[] { 1, config.LatentChannels, side, side }, generator: new Generator(3)).to(dtype);
        long tokens = (long)side * side;
        Console.WriteLine($"decode of a {side}² latent ({side * config.DownsampleFactor}² image, {tokens} attention tokens × {config.BlockOutChannels[^1]}), {dtype}");
        var attentions = vae.modules().OfType<VaeAttention>().ToList();
        foreach (var a in attentions)
        {
            a.ScoreBudgetBytes = long.MaxValue;
        }

        var reference = Phase("unbounded (one SDPA call)", () => vae.Decode(latent), null);
        using (reference)
        {
            foreach (var a in attentions)
            {
                a.ScoreBudgetBytes = VaeAttention.DefaultScoreBudgetBytes;
            }

            Phase($"query chunks ({VaeAttention.DefaultScoreBudgetBytes >> 20} MiB)", () => vae.Decode(latent), reference).Dispose();
        }

        return 0;
    }

    private static Tensor Phase(string label, Func<Tensor> run, Tensor? reference)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        double start = BenchmarkSetup.CurrentRssMiB();
        BenchmarkSetup.ResetPeakRss();
        var clock = Stopwatch.StartNew();
        var output = run();
        clock.Stop();
        double peak = BenchmarkSetup.PeakRssMiB();
        var diff = reference is null ? "" : string.Create(CultureInfo.InvariantCulture, $", max |Δ| vs one call {output.sub(reference).abs().max().ToDouble():G3} (max |x| {reference.abs().max().ToDouble():G3})");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label}: {clock.Elapsed.TotalSeconds:F2} s, peak +{peak - start:F0} MiB{diff}"));
        return output;
    }
}
