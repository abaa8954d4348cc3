using Microsoft.Extensions.Diagnostics.HealthChecks;
using TsdSr.Inference.Hosting;

namespace TsdSr.Service.Health;

/// <summary>Ready once the upscaler's models are loaded; not ready before (while loading, or until the first upload when they are not loaded at start-up) or after a failed load.</summary>
internal sealed class ModelReadinessCheck(ITsdSrUpscaler upscaler, ModelLoader loader) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            upscaler.IsLoaded ? HealthCheckResult.Healthy($"The models are loaded on {upscaler.Device}.")
            : loader.Error is { } error ? HealthCheckResult.Unhealthy("The models failed to load.", error)
            : HealthCheckResult.Unhealthy("The models are not loaded yet."));
}
