using System.Net;

namespace TsdSr.Tests.Service.Health;

/// <summary>Liveness answers at once; readiness waits until the models are loaded.</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task The_service_is_live_at_once_and_ready_only_once_the_models_are_loaded()
    {
        await using var service = await ServiceTestHost.StartAsync(holdLoading: true);

        using var live = await service.Client.GetAsync("/health/live");
        using var loading = await service.Client.GetAsync("/health/ready");
        service.Factory.OpenLoadGate();
        bool ready = await ServiceTestHost.EventuallyAsync(() => IsReady(service.Client));

        live.StatusCode.Should().Be(HttpStatusCode.OK);
        loading.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        ready.Should().BeTrue("the readiness endpoint should report ready once the models are loaded");
    }

    [Fact]
    public async Task Without_loading_at_start_up_the_service_becomes_ready_with_the_first_upload()
    {
        await using var service = await ServiceTestHost.StartAsync("--Service:LoadModelsAtStartup=false");

        using var before = await service.Client.GetAsync("/health/ready");
        using var upload = await service.Client.PostAsync("/upscale", ServiceTestHost.ImageContent(ServiceTestHost.Png(16, 16)));
        using var after = await service.Client.GetAsync("/health/ready");

        before.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        upload.StatusCode.Should().Be(HttpStatusCode.OK);
        after.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static bool IsReady(HttpClient client)
    {
        using var response = client.GetAsync("/health/ready").GetAwaiter().GetResult();
        return response.StatusCode == HttpStatusCode.OK;
    }
}
