using Microsoft.Extensions.Logging;
using TsdSr.Inference.Hosting;
using Microsoft.Extensions.Options;
using TsdSr.Service.Telemetry;

namespace TsdSr.Service.Health;

/// <summary>
/// Loads the models in the background once the service has started, so that it answers liveness probes at once and
/// readiness probes when the models are in memory. A failure is logged and reported by readiness; the upscaler tries
/// loading again on the next upload.
/// </summary>
internal sealed class ModelLoader(ITsdSrUpscaler upscaler, IOptions<ServiceOptions> options, ILogger<ModelLoader> logger) : BackgroundService
{
    private volatile Exception? error;

    /// <summary>Why the last load at start-up failed, or null.</summary>
    public Exception? Error => error;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.LoadModelsAtStartup)
        {
            return;
        }

        try
        {
            await upscaler.LoadAsync(cancellationToken: stoppingToken);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down while loading.
        }
        catch (Exception e)
        {
            error = e;
            ServiceLog.LoadFailed(logger, e);
        }
    }
}
