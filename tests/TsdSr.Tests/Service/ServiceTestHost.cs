using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TsdSr.Imaging;
using TsdSr.Inference.Hosting;
using TsdSr.Service;
using TsdSr.Service.Queueing;
using TsdSr.Service.Telemetry;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Service;

/// <summary>
/// The real service (<see cref="ServiceApp"/>) on a free loopback port, over the tiny fixture models, with a
/// <see cref="GatedPipelineFactory"/> around the real pipeline factory so that tests decide when an upscale may run.
/// </summary>
internal sealed class ServiceTestHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly MeterListener listener = new();
    private readonly List<(string Instrument, double Value, string? Outcome)> measurements = [];

    private ServiceTestHost(WebApplication app, GatedPipelineFactory factory)
    {
        this.app = app;
        Factory = factory;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromMinutes(5) };
        // Only this app's meter: other service instances in the test run have their own meter factories.
        var meterFactory = app.Services.GetRequiredService<IMeterFactory>();
        this.listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ServiceMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        this.listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        this.listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        this.listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        this.listener.Start();
    }

    public HttpClient Client { get; }

    public GatedPipelineFactory Factory { get; }

    public UpscaleQueue Queue => this.app.Services.GetRequiredService<UpscaleQueue>();

    /// <summary>Starts the service with these extra configuration arguments (e.g. <c>--Service:QueueCapacity=2</c>).</summary>
    public static Task<ServiceTestHost> StartAsync(params string[] args) => StartAsync(holdLoading: false, args);

    /// <summary>Starts the service; with <paramref name="holdLoading"/>, model loading waits for <see cref="GatedPipelineFactory.OpenLoadGate"/>.</summary>
    public static async Task<ServiceTestHost> StartAsync(bool holdLoading, params string[] args)
    {
        var root = FixturePaths.Get("tsdsr_pipeline_tiny");
        string[] all =
        [
            "--urls=http://127.0.0.1:0",
            $"--TsdSr:ModelDirectory={root}",
            $"--TsdSr:LoraDirectory={Path.Combine(root, "lora")}",
            $"--TsdSr:EmbeddingsDirectory={Path.Combine(root, "embeddings")}",
            "--TsdSr:Device=cpu",
            // Small inputs stay small (no enlargement to 512 px), so each upscale is quick.
            "--TsdSr:ProcessSize=0",
            .. args,
        ];
        var factory = new GatedPipelineFactory(new TsdSrPipelineFactory());
        if (holdLoading)
        {
            factory.CloseLoadGate();
        }

        var app = ServiceApp.Create(all, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<ITsdSrPipelineFactory>(factory);
        });
        await app.StartAsync();
        return new ServiceTestHost(app, factory);
    }

    /// <summary>A PNG of a smooth gradient, <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static byte[] Png(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = ((y * width) + x) * 3;
                pixels[i] = (byte)(255 * x / width);
                pixels[i + 1] = (byte)(255 * y / height);
                pixels[i + 2] = 128;
            }
        }

        using var stream = new MemoryStream();
        ImageCodec.EncodePng(new RgbImage(width, height, pixels), stream);
        return stream.ToArray();
    }

    public static HttpContent ImageContent(byte[] bytes, string contentType = "image/png")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return content;
    }

    /// <summary>The measurements of one instrument so far (value and, for the request counter, the outcome tag).</summary>
    public IReadOnlyList<(double Value, string? Outcome)> Measurements(string instrument)
    {
        lock (measurements)
        {
            return measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Outcome)).ToList();
        }
    }

    /// <summary>Waits (at most a minute) until <paramref name="condition"/> holds; false when it never did.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (int i = 0; i < 600; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition();
    }

    public async ValueTask DisposeAsync()
    {
        Factory.OpenUpscaleGate();
        Factory.OpenLoadGate();
        Client.Dispose();
        await this.app.StopAsync();
        await this.app.DisposeAsync();
        this.listener.Dispose();
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        string? outcome = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "outcome")
            {
                outcome = tag.Value as string;
            }
        }

        lock (measurements)
        {
            measurements.Add((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), outcome));
        }
    }
}
