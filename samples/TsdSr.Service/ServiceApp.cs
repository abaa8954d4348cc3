using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TsdSr.Inference.Hosting;
using TsdSr.Service.Endpoints;
using TsdSr.Service.Health;
using TsdSr.Service.Queueing;
using TsdSr.Service.Telemetry;

namespace TsdSr.Service;

/// <summary>Builds the service: the upscaler, the bounded queue, health checks, metrics and the endpoints.</summary>
internal static class ServiceApp
{
    /// <summary>The readiness tag: checks that must pass before the service takes uploads.</summary>
    private const string ReadyTag = "ready";

    /// <summary>Creates the application from command-line arguments (configuration keys, <c>--urls</c>).</summary>
    /// <param name="args">Arguments, e.g. <c>--TsdSr:ModelDirectory DIR --Service:QueueCapacity 4</c>.</param>
    /// <param name="configure">Last changes to the builder before the app is built (tests replace services here).</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is the binary's folder, so appsettings.json is found whatever the working folder is.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        builder.Services.AddTsdSr(builder.Configuration.GetSection(TsdSrOptions.SectionName));
        builder.Services.AddOptions<ServiceOptions>()
            .Bind(builder.Configuration.GetSection(ServiceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ServiceMetrics>();
        builder.Services.AddSingleton<UpscaleQueue>();
        builder.Services.AddSingleton<ModelLoader>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModelLoader>());
        builder.Services.AddHealthChecks().AddCheck<ModelReadinessCheck>("models", tags: [ReadyTag]);
        builder.Services.AddProblemDetails();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapGet("/", PageEndpoints.Index);
        app.MapGet("/sample.png", PageEndpoints.Sample);
        app.MapPost(UpscaleEndpoint.Route, UpscaleEndpoint.HandleAsync);
        // Liveness runs no check: the process answers. Readiness waits for the models.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
