using System.CommandLine;
using TsdSr.Cli.Commands;

var root = new RootCommand("TsdSr: one-step diffusion super-resolution (TSD-SR) on .NET.");
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(DegradeCommand.Create());
root.Subcommands.Add(UpscaleCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(PhotosCommand.Create());
root.Subcommands.Add(ResizeCommand.Create());
root.Subcommands.Add(ReconstructCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
var parsed = root.Parse(args);
// photos promises exit code 2 for usage errors, so that scripts/build-photo-pool.sh can tell them from failed photos.
if (parsed.Errors.Count > 0 && parsed.CommandResult.Command.Name == PhotosCommand.Name)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"photos: {error.Message}");
    }

    return 2;
}

// Training handles Ctrl+C itself: it finishes the step in flight and writes a checkpoint, which takes longer than the
// parser's 2-second grace period before it ends the process.
var invocation = new InvocationConfiguration();
if (parsed.CommandResult.Command.Name == TrainCommand.Name)
{
    invocation.ProcessTerminationTimeout = null;
}

return await parsed.InvokeAsync(invocation);
