using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

if (args.Length > 0 && args[0] == TsdSr.Benchmarks.Inference.TilingSeries.Switch)
{
    return TsdSr.Benchmarks.Inference.TilingSeries.Run(args);
}

if (args.Length > 0 && args[0] == TsdSr.Benchmarks.Models.LoadSeries.Switch)
{
    return TsdSr.Benchmarks.Models.LoadSeries.Run(args);
}

if (args.Length > 0 && args[0] == TsdSr.Benchmarks.Models.VaeMemorySeries.Switch)
{
    return TsdSr.Benchmarks.Models.VaeMemorySeries.Run(args);
}

if (args.Length > 0 && args[0] == TsdSr.Benchmarks.Models.VaeLayoutSeries.Switch)
{
    return TsdSr.Benchmarks.Models.VaeLayoutSeries.Run(args);
}

if (args.Length > 0 && args[0] == TsdSr.Benchmarks.Models.VaeAttentionSeries.Switch)
{
    return TsdSr.Benchmarks.Models.VaeAttentionSeries.Run(args);
}

if (args.Length > 0 && args[0] == TsdSr.Benchmarks.Models.AttentionSeries.Switch)
{
    return TsdSr.Benchmarks.Models.AttentionSeries.Run(args);
}

if (args.Length > 0 && args[0] == TsdSr.Benchmarks.Models.LinearPathSeries.Switch)
{
    return TsdSr.Benchmarks.Models.LinearPathSeries.Run(args);
}

if (args.Length > 0 && args[0] == TsdSr.Benchmarks.Models.LinearEngineSeries.Switch)
{
    return TsdSr.Benchmarks.Models.LinearEngineSeries.Run(args);
}

if (args.Length > 0 && args[0] == TsdSr.Benchmarks.Inference.DeviceSeries.Switch)
{
    return TsdSr.Benchmarks.Inference.DeviceSeries.Run(args);
}

if (args.Length > 0 && args[0] == TsdSr.Benchmarks.Training.TrainingIterationSeries.Switch)
{
    return TsdSr.Benchmarks.Training.TrainingIterationSeries.Run(args);
}

// In-process: BenchmarkDotNet's generated out-of-process project would re-copy ~475 MB of libtorch natives per run
// and miss the native-load patch. Few iterations: single forwards of 2B-parameter models take seconds.
var config = DefaultConfig.Instance
    .AddJob(Job.Default
        // The in-process toolchain's default 5-minute limit aborted SD3-sized end-to-end cases on a loaded machine.
        .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(2), logOutput: true))
        .WithWarmupCount(1)
        .WithIterationCount(3)
        .WithLaunchCount(1)
        .WithInvocationCount(1)
        .WithUnrollFactor(1))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(TsdSr.Benchmarks.BenchmarkSetup).Assembly).Run(args, config);
return 0;
