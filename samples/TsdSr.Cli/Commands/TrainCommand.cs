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
            using var ctrlC = new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ctrlC.Token);
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                // First Ctrl+C: finish the step, checkpoint, exit 130. A second one ends the process at once; the
                // checkpoints are written atomically, so the last complete one is still good.
                if (!ctrlC.IsCancellationRequested)
                {
                    e.Cancel = true;
                    io.Error.WriteLine();
                    io.Error.WriteLine("Stopping after the current step and writing a checkpoint (press Ctrl+C again to quit at once) ...");
                    ctrlC.Cancel();
                }
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                var runner = new TrainRunner(io.Output, io.Error, interactive);
                return await runner.RunAsync(request, linked.Token).ConfigureAwait(false);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return command;
    }
}
