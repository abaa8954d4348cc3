using TsdSr.Inference;

namespace TsdSr.Tests.Inference.Preprocessing;

/// <summary>The work size (after the size rule), not the input, is bounded: pixels and aspect ratio.</summary>
public sealed class WorkSizeLimitTests
{
    [Fact]
    public void A_thin_strip_that_the_minimum_side_rule_would_inflate_is_refused_by_aspect_ratio()
    {
        var settings = new UpscaleSettings();

        var act = () => settings.PlanSize(3, 1000);

        act.Should().Throw<ImageTooLargeException>()
            .WithMessage("A 3x1000 input is worked at 512x170664 (87,379,968 pixels, aspect ratio 333.33:1), over the aspect-ratio limit of 32 (MaxAspectRatio; tsdsr upscale --max-aspect-ratio).");
    }

    [Fact]
    public void A_one_pixel_wide_column_is_refused_before_libtorch_is_asked_for_51_GB()
    {
        var act = () => new UpscaleSettings { MaxAspectRatio = 1e6 }.PlanSize(1, 16384);

        act.Should().Throw<ImageTooLargeException>().WithMessage("*512x8388608 (4,294,967,296 pixels*over the limit of 268,435,456 pixels (MaxProcessPixels; tsdsr upscale --max-process-pixels)*");
    }

    [Fact]
    public void Sizes_at_the_limits_pass_and_one_step_over_is_refused()
    {
        var settings = new UpscaleSettings { MaxProcessPixels = 1024L * 512, MaxAspectRatio = 2 };

        var plan = settings.PlanSize(128, 64);
        (plan.ProcessWidth, plan.ProcessHeight).Should().Be((1024, 512), "the work size is at both limits");
        ((Action)(() => settings.PlanSize(182, 182))).Should().Throw<ImageTooLargeException>().WithMessage("*728x728*over the limit of 524,288 pixels*");
        ((Action)(() => settings.PlanSize(130, 64))).Should().Throw<ImageTooLargeException>().WithMessage("*aspect ratio 2.03:1*aspect-ratio limit of 2 *");
    }

    [Fact]
    public void Limits_below_one_are_invalid_settings()
    {
        ((Action)(() => new UpscaleSettings { MaxProcessPixels = 0 }.Validate())).Should().Throw<ArgumentException>().WithMessage("*MaxProcessPixels*");
        ((Action)(() => new UpscaleSettings { MaxAspectRatio = 0.5 }.Validate())).Should().Throw<ArgumentException>().WithMessage("*MaxAspectRatio*");
    }
}
