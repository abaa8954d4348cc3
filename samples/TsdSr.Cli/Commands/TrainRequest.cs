namespace TsdSr.Cli.Commands;

/// <summary>The parsed arguments of <c>tsdsr train</c>.</summary>
/// <param name="Config">The JSON configuration file, or null (only with <paramref name="PrintConfig"/>).</param>
/// <param name="MaxSteps">Override of <c>max_steps</c>, or null.</param>
/// <param name="PrintConfig">Print the effective configuration and exit.</param>
internal sealed record TrainRequest(string? Config, int? MaxSteps, bool PrintConfig);
