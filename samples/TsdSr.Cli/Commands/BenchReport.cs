namespace TsdSr.Cli.Commands;

/// <summary>What <c>tsdsr bench</c> measured (also written as JSON). <see cref="VaeChannelsLast"/>: the layout asked for (null: the pipeline's automatic choice; each stage records the layout it ran). <see cref="LinearAsConvolution"/>: the fp32 linear engine asked for, alike. <see cref="Allocator"/>: the <c>malloc</c> that served CPU tensors (glibc, tcmalloc, …).</summary>
internal sealed record BenchReport(
    string Date,
    string Cpu,
    IReadOnlyList<string> CpuFeatures,
    int Threads,
    string Allocator,
    string Device,
    string Family,
    bool? VaeChannelsLast,
    bool? LinearAsConvolution,
    IReadOnlyDictionary<string, double> GemmGflops,
    IReadOnlyList<BenchStage> Stages,
    string Recommendation,
    string Reason);

/// <summary>One timed stage of a 128→512 upscale.</summary>
/// <param name="Dtype">fp32 or bf16.</param>
/// <param name="Stage">encode, transformer, decode or end_to_end.</param>
/// <param name="Seconds">Best wall time of the repetitions.</param>
/// <param name="Gflop">Analytic compute of the stage (0 for end_to_end).</param>
/// <param name="FloorSeconds">Gflop at the measured GEMM rate of the dtype: the time the stage would take at GEMM speed.</param>
/// <param name="TimesFloor">Seconds / FloorSeconds (1 = GEMM speed; the VAE target is at most 1.2).</param>
/// <param name="VaeChannelsLast">Whether the VAE ran channels-last (NHWC) in this dtype.</param>
/// <param name="LinearAsConvolution">Whether the linear layers ran as oneDNN 1×1 convolutions (only ever in fp32 on the CPU).</param>
internal sealed record BenchStage(string Dtype, string Stage, double Seconds, double Gflop, double FloorSeconds, double TimesFloor, bool VaeChannelsLast, bool LinearAsConvolution);
