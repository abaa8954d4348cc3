using TsdSr.Imaging;
using TsdSr.Inference.Preprocessing;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Inference.Preprocessing;

public class PixelPreprocessorTests
{
    [Theory]
    [MemberData(nameof(PipelineFixture.AllCases), MemberType = typeof(PipelineFixture))]
    public void The_vae_input_matches_the_reference_pixel_values(string caseName)
    {
        using var f = new PipelineFixture(caseName);
        var input = f.Input;
        var plan = SizePlan.Create(input.Width, input.Height);
        using var image = ImageTensors.ToTensor(input);
        using var pixels = PixelPreprocessor.ToModelInput(image, plan);

        pixels.shape.Should().Equal(1, 3, plan.ProcessHeight, plan.ProcessWidth);
        f.MaxViewDiff("pixel_values", pixels).Should().BeLessThanOrEqualTo(1e-5);
    }
}
