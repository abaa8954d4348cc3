using TsdSr.Schedulers;

namespace TsdSr.Tests.Schedulers;

/// <summary>The scheduler config written as diffusers' <c>scheduler_config.json</c>.</summary>
public class FlowMatchEulerDiscreteSchedulerConfigWritingTests
{
    [Fact]
    public void A_written_config_reads_back_equal()
    {
        var config = FlowMatchEulerDiscreteSchedulerConfig.Sd3 with { ShiftTerminal = 0.02, UseDynamicShifting = true };
        var json = config.ToJson();
        json.Should().Contain("\"_class_name\": \"FlowMatchEulerDiscreteScheduler\"").And.Contain("\"shift\": 3");
        FlowMatchEulerDiscreteSchedulerConfig.FromJson(json).Should().Be(config);
    }
}
