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
root.Subcommands.Add(PlotCommand.Create());
root.Subcommands.Add(BlendCommand.Create());
var parsed = root.Parse(args);
// Every usage error (unknown option, missing or invalid value) exits 2, as every command's own setup errors do.
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"{parsed.CommandResult.Command.Name}: {error.Message}");
    }

    return ExitCodes.SetupFailed;
}

// Ctrl+C and SIGTERM go through one token (TerminationSignals): the parser's own handler would end the process by the
// signal itself before any command could stop cleanly, so it is turned off.
using var signals = new TerminationSignals(Console.Error, TerminationSignals.StoppingMessageFor(parsed.CommandResult.Command.Name)).Register();
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token);
