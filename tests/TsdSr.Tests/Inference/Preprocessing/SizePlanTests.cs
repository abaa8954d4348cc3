using TsdSr.Inference.Preprocessing;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Inference.Preprocessing;

public class SizePlanTests
{
    [Theory]
    [MemberData(nameof(PipelineFixture.AllCases), MemberType = typeof(PipelineFixture))]
    public void The_size_rule_matches_the_reference_cases(string caseName)
    {
        using var f = new PipelineFixture(caseName);
        var c = f.Case.RootElement;
        var ori = c.GetProperty("ori_size_wh");
        var plan = SizePlan.Create(ori[0].GetInt32(), ori[1].GetInt32());

        plan.ProcessHeight.Should().Be(c.GetProperty("process_size_hw")[0].GetInt32());
        plan.ProcessWidth.Should().Be(c.GetProperty("process_size_hw")[1].GetInt32());
        plan.OutputWidth.Should().Be(c.GetProperty("final_size_wh")[0].GetInt32());
        plan.OutputHeight.Should().Be(c.GetProperty("final_size_wh")[1].GetInt32());
        plan.ResizeBack.Should().Be(c.GetProperty("resize_flag").GetBoolean());
    }

    [Fact]
    public void Sides_that_are_not_multiples_of_8_after_scaling_are_floored_together()
    {
        var plan = SizePlan.Create(130, 201, scale: 3, processSize: 0);
        (plan.ProcessWidth, plan.ProcessHeight).Should().Be((384, 600));
        plan.ResizeBack.Should().BeTrue();
        (plan.OutputWidth, plan.OutputHeight).Should().Be((390, 603));
    }

    [Fact]
    public void Degenerate_sizes_are_rejected()
    {
        ((Action)(() => SizePlan.Create(0, 10))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => SizePlan.Create(1, 1, scale: 1, processSize: 0))).Should().Throw<ArgumentException>();
    }
}
