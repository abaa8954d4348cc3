using System.CommandLine;
using TsdSr.Cli.Commands;

var root = new RootCommand("TsdSr: one-step diffusion super-resolution (TSD-SR) on .NET.");
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(DegradeCommand.Create());
root.Subcommands.Add(UpscaleCommand.Create());
return await root.Parse(args).InvokeAsync();
