using System.CommandLine;
using TsdSr.Core.Devices;

namespace TsdSr.Cli.Commands;

/// <summary><c>tsdsr doctor</c>: prints the torch runtime diagnostics.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Print the libtorch version, CUDA availability and thread settings.");
        command.SetAction(_ =>
        {
            TorchDiagnostics d;
            try
            {
                d = TorchDiagnostics.Collect();
            }
            catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or InvalidOperationException)
            {
                Console.Error.WriteLine("The libtorch native backend could not be loaded:");
                Console.Error.WriteLine(e.InnerException?.Message ?? e.Message);
                Console.Error.WriteLine("Reference a backend package (libtorch-cpu-linux-x64, TorchSharp-cpu or libtorch-cuda-12.8-*); "
                    + "on Debian 12 / Ubuntu 22.04 build through MSBuild so that TsdSr's native patch is applied (docs/native-loading.md).");
                return 1;
            }

            Console.WriteLine($"libtorch         {d.LibTorchVersion}");
            Console.WriteLine($"TorchSharp       {d.TorchSharpVersion}");
            Console.WriteLine($"OS               {d.Os}");
            Console.WriteLine($"CPU threads      {d.Threads} of {d.ProcessorCount} logical processors");
            Console.WriteLine($"CUDA available   {(d.CudaAvailable ? $"yes, {d.CudaDeviceCount} device(s), cuDNN {(d.CudnnAvailable ? "yes" : "no")}" : "no")}");
            if (d.CudaLoadError is not null)
            {
                Console.WriteLine("CUDA load trace  " + d.CudaLoadError.ReplaceLineEndings(Environment.NewLine + "                 "));
            }

            Console.WriteLine($"Default device   {(d.CudaAvailable ? "cuda:0" : "cpu")}");
            return 0;
        });
        return command;
    }
}
