using System.CommandLine;

namespace TsdSr.Cli.Commands;

/// <summary><c>tsdsr train</c>: distils a one-step TSD-SR student from one JSON configuration (docs/training.md).</summary>
internal static class TrainCommand
{
    /// <summary>The command name.</summary>
    public const string Name = "train";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Training configuration (JSON, snake_case keys; see docs/training.md and docs/training-config.*.json).", HelpName = "FILE" };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Override max_steps (the total optimiser steps, also the schedule length).", HelpName = "N" };
        var printConfig = new Option<bool>("--print-config") { Description = "Print the effective configuration (the defaults without --config) as JSON and exit." };

        var command = new Command(Name, "Train a TSD-SR student (target score distillation, optional DASM) with live progress, checkpoints and resume.")
        {
            config, maxSteps, printConfig,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var request = new TrainRequest(parseResult.GetValue(config), parseResult.GetValue(maxSteps), parseResult.GetValue(printConfig));
            var io = parseResult.InvocationConfiguration;
            bool interactive = ReferenceEquals(io.Output, Console.Out) && !Console.IsOutputRedirected;
            // Ctrl+C / SIGTERM arrive through the token (TerminationSignals): the run finishes the step in flight,
            // checkpoints it and exits 130; a second signal quits at once (checkpoints are atomic, the last one stays good).
            var runner = new TrainRunner(io.Output, io.Error, interactive);
            return await runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
