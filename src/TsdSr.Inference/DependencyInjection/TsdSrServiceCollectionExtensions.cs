using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TsdSr.Inference.Hosting;

// In the namespace of IServiceCollection, as the framework's own Add* methods are: a host that registers services
// already imports it, so AddTsdSr needs no using of its own. The one exception to namespaces-follow-folders.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers TSD-SR in a service collection: <see cref="TsdSrOptions"/> (validated at start-up),
/// <see cref="TsdSrUpscaler"/> (also as <see cref="ITsdSrUpscaler"/>, the same instance) and its pipeline factory, all
/// singletons. Calling more than one overload adds each
/// configuration source; the services are registered once.
/// </summary>
public static class TsdSrServiceCollectionExtensions
{
    /// <summary>Registers the services without binding any options: configure <see cref="TsdSrOptions"/> elsewhere.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The <paramref name="services"/> so that additional calls can be chained.</returns>
    public static IServiceCollection AddTsdSr(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(TsdSrMarker)))
        {
            return services;
        }

        services.AddSingleton<TsdSrMarker>();
        services.AddOptions<TsdSrOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TsdSrOptions>, TsdSrOptionsValidator>());
        services.TryAddSingleton<ITsdSrPipelineFactory, TsdSrPipelineFactory>();
        services.TryAddSingleton<TsdSrUpscaler>();
        services.TryAddSingleton<ITsdSrUpscaler>(provider => provider.GetRequiredService<TsdSrUpscaler>());
        return services;
    }

    /// <summary>Registers the services and binds <see cref="TsdSrOptions"/> to a configuration section (e.g. <c>configuration.GetSection("TsdSr")</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the option values.</param>
    /// <returns>The <paramref name="services"/> so that additional calls can be chained.</returns>
    public static IServiceCollection AddTsdSr(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TsdSrOptions>().Bind(configuration);
        return services.AddTsdSr();
    }

    /// <summary>Registers the services and configures <see cref="TsdSrOptions"/> with a delegate.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the option values.</param>
    /// <returns>The <paramref name="services"/> so that additional calls can be chained.</returns>
    public static IServiceCollection AddTsdSr(this IServiceCollection services, Action<TsdSrOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TsdSrOptions>().Configure(configure);
        return services.AddTsdSr();
    }

    /// <summary>Registers the services with the values of an options instance (copied; later changes to it are not seen).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The option values.</param>
    /// <returns>The <paramref name="services"/> so that additional calls can be chained.</returns>
    public static IServiceCollection AddTsdSr(this IServiceCollection services, TsdSrOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var snapshot = new TsdSrOptions();
        options.CopyTo(snapshot);
        services.AddOptions<TsdSrOptions>().Configure(snapshot.CopyTo);
        return services.AddTsdSr();
    }

    /// <summary>Marks a collection that already has the TSD-SR services, so validators are not added twice.</summary>
    private sealed class TsdSrMarker;
}
