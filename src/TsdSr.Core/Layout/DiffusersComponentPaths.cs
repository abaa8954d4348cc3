namespace TsdSr.Core.Layout;

/// <summary>Where one component of a diffusers model lives on disk.</summary>
/// <param name="Component">Component name, e.g. <c>transformer</c>, <c>vae</c>, <c>scheduler</c>.</param>
/// <param name="Directory">The component folder.</param>
/// <param name="ConfigPath">Its <c>config.json</c> (<c>scheduler_config.json</c> for schedulers).</param>
/// <param name="WeightsPath">
/// Its weights: a <c>.safetensors</c> file, a sharded <c>.safetensors.index.json</c>, or a <c>torch.save</c>
/// <c>.bin</c>; null for components without weights (schedulers). Open it with <c>TensorSources.Open</c>.
/// </param>
public sealed record DiffusersComponentPaths(string Component, string Directory, string ConfigPath, string? WeightsPath);
