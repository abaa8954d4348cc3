using System.Net;
using TsdSr.Imaging;
using TsdSr.Service.Telemetry;

namespace TsdSr.Tests.Service.Endpoints;

/// <summary>
/// POST /upscale on the real service over loopback: the PNG comes back 4× larger; a burst beyond the queue gets 503
/// with Retry-After; a client that disconnects cancels its upscale; oversized and non-image uploads are refused before
/// the pipeline sees them.
/// </summary>
public sealed class UpscaleEndpointTests
{
    [Fact]
    public async Task An_uploaded_image_comes_back_as_a_png_four_times_larger()
    {
        await using var service = await ServiceTestHost.StartAsync();

        using var response = await service.Client.PostAsync("/upscale", ServiceTestHost.ImageContent(ServiceTestHost.Png(40, 24)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        var image = ImageCodec.Load(await response.Content.ReadAsStreamAsync(), "response");
        (image.Width, image.Height).Should().Be((160, 96));
        response.Headers.GetValues("Server-Timing").Should().ContainSingle().Which.Should().MatchRegex("^upscale;dur=[0-9]+;");
        service.Measurements(ServiceMetrics.ImageDurationName).Should().ContainSingle().Which.Value.Should().BePositive();
        service.Measurements(ServiceMetrics.RequestsName).Should().ContainSingle().Which.Outcome.Should().Be(ServiceMetrics.Outcomes.Upscaled);
    }

    [Fact]
    public async Task A_burst_beyond_the_queue_capacity_is_refused_with_503_and_retry_after_and_the_admitted_images_complete()
    {
        await using var service = await ServiceTestHost.StartAsync("--Service:QueueCapacity=2");
        service.Factory.CloseUpscaleGate();
        var png = ServiceTestHost.Png(32, 32);

        var requests = Enumerable.Range(0, 6)
            .Select(_ => service.Client.PostAsync("/upscale", ServiceTestHost.ImageContent(png)))
            .ToList();
        // The first image is held inside the pipeline, so the two admitted requests cannot finish: the first four
        // answers are the refusals.
        var pending = requests.ToList();
        var refused = new List<HttpResponseMessage>();
        for (int i = 0; i < 4; i++)
        {
            var done = await Task.WhenAny(pending).WaitAsync(TimeSpan.FromMinutes(2));
            pending.Remove(done);
            refused.Add(await done);
        }

        service.Factory.OpenUpscaleGate();
        var admitted = await Task.WhenAll(pending).WaitAsync(TimeSpan.FromMinutes(2));

        refused.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
        refused.Should().OnlyContain(r => r.Headers.RetryAfter != null && r.Headers.RetryAfter.Delta >= TimeSpan.FromSeconds(1));
        admitted.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        foreach (var response in admitted)
        {
            var image = ImageCodec.Load(await response.Content.ReadAsStreamAsync(), "response");
            (image.Width, image.Height).Should().Be((128, 128));
        }

        service.Factory.Entered.Should().Be(2);
        service.Queue.Count.Should().Be(0);
        var queueLength = service.Measurements(ServiceMetrics.QueueLengthName).Select(m => m.Value).ToList();
        queueLength.Should().HaveCount(4).And.Subject.Sum().Should().Be(0);
        RunningMaximum(queueLength).Should().Be(2);
        service.Measurements(ServiceMetrics.RequestsName).Select(m => m.Outcome).Should().BeEquivalentTo(
            [.. Enumerable.Repeat(ServiceMetrics.Outcomes.QueueFull, 4), .. Enumerable.Repeat(ServiceMetrics.Outcomes.Upscaled, 2)]);
        foreach (var response in requests.Select(r => r.Result))
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_upscale_cancels_it_and_frees_its_place()
    {
        await using var service = await ServiceTestHost.StartAsync("--Service:QueueCapacity=1");
        service.Factory.CloseUpscaleGate();
        using var disconnect = new CancellationTokenSource();

        var request = service.Client.PostAsync("/upscale", ServiceTestHost.ImageContent(ServiceTestHost.Png(32, 32)), disconnect.Token);
        (await ServiceTestHost.EventuallyAsync(() => service.Factory.Entered == 1)).Should().BeTrue("the upscale should reach the pipeline");
        await disconnect.CancelAsync();
        Func<Task> awaiting = () => request;
        await awaiting.Should().ThrowAsync<OperationCanceledException>();

        (await ServiceTestHost.EventuallyAsync(() => service.Factory.Cancelled == 1)).Should().BeTrue("the disconnect should cancel the upscale inside the pipeline");
        (await ServiceTestHost.EventuallyAsync(() => service.Queue.Count == 0)).Should().BeTrue("the cancelled upload should leave the queue");
        (await ServiceTestHost.EventuallyAsync(() => service.Measurements(ServiceMetrics.RequestsName).Count == 1)).Should().BeTrue();
        service.Measurements(ServiceMetrics.RequestsName).Single().Outcome.Should().Be(ServiceMetrics.Outcomes.Cancelled);

        // The queue had room for one image only: the next upload is admitted and upscaled.
        service.Factory.OpenUpscaleGate();
        using var next = await service.Client.PostAsync("/upscale", ServiceTestHost.ImageContent(ServiceTestHost.Png(32, 32)));
        next.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_upload_over_the_byte_limit_is_refused_with_413_before_the_pipeline()
    {
        await using var service = await ServiceTestHost.StartAsync("--TsdSr:MaxInputFileBytes=4096");
        var body = new byte[20_000];
        Random.Shared.NextBytes(body);

        using var declared = await service.Client.PostAsync("/upscale", ServiceTestHost.ImageContent(body));
        // Without a Content-Length (chunked), the limit is enforced while reading.
        using var chunked = new StreamContent(new NonSeekableStream(body));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        using var streamed = await service.Client.PostAsync("/upscale", chunked);

        declared.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        streamed.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await streamed.Content.ReadAsStringAsync()).Should().Contain("4096");
        service.Factory.Entered.Should().Be(0);
        service.Queue.Count.Should().Be(0);
    }

    [Fact]
    public async Task An_image_over_the_pixel_limit_is_refused_with_413_before_decoding()
    {
        await using var service = await ServiceTestHost.StartAsync("--TsdSr:MaxInputPixels=1024");

        using var response = await service.Client.PostAsync("/upscale", ServiceTestHost.ImageContent(ServiceTestHost.Png(64, 32)));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).Should().Contain("64x32");
        service.Factory.Entered.Should().Be(0);
    }

    [Fact]
    public async Task A_body_that_is_not_an_image_is_refused_with_415()
    {
        await using var service = await ServiceTestHost.StartAsync();

        using var response = await service.Client.PostAsync("/upscale", ServiceTestHost.ImageContent("this is not an image"u8.ToArray(), "image/png"));

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain("not a PNG, JPEG, BMP or WebP image");
        service.Factory.Entered.Should().Be(0);
        service.Measurements(ServiceMetrics.RequestsName).Should().ContainSingle().Which.Outcome.Should().Be(ServiceMetrics.Outcomes.NotAnImage);
    }

    [Fact]
    public async Task An_empty_body_is_a_bad_request()
    {
        await using var service = await ServiceTestHost.StartAsync();

        using var response = await service.Client.PostAsync("/upscale", ServiceTestHost.ImageContent([]));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    private static double RunningMaximum(IEnumerable<double> deltas)
    {
        double level = 0, max = 0;
        foreach (var delta in deltas)
        {
            level += delta;
            max = Math.Max(max, level);
        }

        return max;
    }

    /// <summary>A stream whose length is unknown, so HttpClient sends it chunked.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
