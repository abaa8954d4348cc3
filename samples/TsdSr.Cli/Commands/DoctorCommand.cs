using System.CommandLine;
using TsdSr.Core.Devices;

namespace TsdSr.Cli.Commands;

/// <summary><c>tsdsr doctor</c>: prints the torch runtime diagnostics.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Print the libtorch version, CUDA availability and thread settings.");
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            TorchDiagnostics d;
            try
            {
                d = TorchDiagnostics.Collect();
            }
            catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or InvalidOperationException)
            {
                error.WriteLine("The libtorch native backend could not be loaded:");
                error.WriteLine(e.InnerException?.Message ?? e.Message);
                error.WriteLine("Reference a backend package (libtorch-cpu-linux-x64, TorchSharp-cpu or libtorch-cuda-12.8-*); "
                    + "on Debian 12 / Ubuntu 22.04 build through MSBuild so that TsdSr's native patch is applied (docs/native-loading.md).");
                return ExitCodes.SetupFailed;
            }

            output.WriteLine($"libtorch         {d.LibTorchVersion}");
            output.WriteLine($"TorchSharp       {d.TorchSharpVersion}");
            output.WriteLine($"OS               {d.Os}");
            output.WriteLine($"CPU threads      {d.Threads} of {d.ProcessorCount} logical processors");
            output.WriteLine($"malloc           {d.NativeAllocator}");
            if (NativeAllocator.IsGlibc(d.NativeAllocator))
            {
                output.WriteLine($"                 {NativeAllocator.GlibcHint}");
            }

            output.WriteLine($"CUDA available   {(d.CudaAvailable ? $"yes, {d.CudaDeviceCount} device(s), cuDNN {(d.CudnnAvailable ? "yes" : "no")}" : "no")}");
            var trace = TraceLines(d.CudaLoadError);
            for (int i = 0; i < trace.Count; i++)
            {
                output.WriteLine((i == 0 ? "CUDA load trace  " : "                 ") + trace[i]);
            }

            output.WriteLine($"Default device   {(d.CudaAvailable ? "cuda:0" : "cpu")}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The lines of a native load trace worth printing: blank ones (the loader's separators) are left out.</summary>
    internal static IReadOnlyList<string> TraceLines(string? trace) =>
        trace is null ? [] : trace.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
}
