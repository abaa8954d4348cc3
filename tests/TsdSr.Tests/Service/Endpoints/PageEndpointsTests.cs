using System.Net;
using TsdSr.Imaging;

namespace TsdSr.Tests.Service.Endpoints;

/// <summary>The drop-an-image page and its sample photo are served from the assembly.</summary>
public sealed class PageEndpointsTests
{
    [Fact]
    public async Task The_page_posts_dropped_images_to_the_upscale_endpoint()
    {
        await using var service = await ServiceTestHost.StartAsync();

        using var response = await service.Client.GetAsync("/");
        string html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().Contain("id=\"drop\"").And.Contain("fetch(\"upscale\"").And.Contain("\"sample.png\"");
    }

    [Fact]
    public async Task The_sample_photo_is_a_png()
    {
        await using var service = await ServiceTestHost.StartAsync();

        using var response = await service.Client.GetAsync("/sample.png");
        var image = ImageCodec.Load(await response.Content.ReadAsStreamAsync(), "sample.png");

        response.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        (image.Width, image.Height).Should().Be((192, 137));
    }
}
