using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TsdSr.Service;
using TsdSr.Service.Queueing;
using TsdSr.Service.Telemetry;

namespace TsdSr.Tests.Service.Queueing;

/// <summary>Admission up to the capacity, leases that give their place back once, and the Retry-After estimate.</summary>
public sealed class UpscaleQueueTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => services.Dispose();

    [Fact]
    public void Admits_up_to_the_capacity_and_again_once_a_place_is_given_back()
    {
        var queue = Create(capacity: 2);

        queue.TryEnter(out var first).Should().BeTrue();
        queue.TryEnter(out var second).Should().BeTrue();
        queue.TryEnter(out var third).Should().BeFalse();
        third.Should().BeNull();
        queue.Count.Should().Be(2);

        first!.Dispose();
        first.Dispose();   // a second dispose gives nothing more back

        queue.Count.Should().Be(1);
        queue.TryEnter(out var fourth).Should().BeTrue();
        queue.TryEnter(out _).Should().BeFalse();
        second!.Dispose();
        fourth!.Dispose();
        queue.Count.Should().Be(0);
    }

    [Fact]
    public void Retry_after_is_the_images_in_the_queue_times_the_measured_seconds_per_image()
    {
        var queue = Create(capacity: 4);
        for (int i = 0; i < 3; i++)
        {
            queue.TryEnter(out _).Should().BeTrue();
        }

        int beforeAnyImage = queue.RetryAfterSeconds();
        queue.RecordImageSeconds(2.0);
        int afterOne = queue.RetryAfterSeconds();
        queue.RecordImageSeconds(12.0);   // averaged: 0.7 × 2 + 0.3 × 12 = 5
        int afterTwo = queue.RetryAfterSeconds();

        beforeAnyImage.Should().Be(15);   // 3 images × the initial 5 s
        afterOne.Should().Be(6);
        afterTwo.Should().Be(15);
    }

    [Fact]
    public void Retry_after_is_at_least_one_second_and_at_most_an_hour()
    {
        var queue = Create(capacity: 1);
        queue.TryEnter(out _).Should().BeTrue();

        queue.RecordImageSeconds(0.001);
        int fast = queue.RetryAfterSeconds();
        queue.RecordImageSeconds(1e6);
        int slow = queue.RetryAfterSeconds();

        fast.Should().Be(1);
        slow.Should().Be(3600);
    }

    private UpscaleQueue Create(int capacity) =>
        new(Options.Create(new ServiceOptions { QueueCapacity = capacity }), new ServiceMetrics(services.GetRequiredService<IMeterFactory>()));
}
