using TsdSr.Data.Degradation;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Data.Degradation;

public class RealEsrganDegradationTests
{
    [Theory]
    [InlineData("osediff", 4)]
    [InlineData("realesrgan", 4)]
    [InlineData("stablesr", 4)]
    [InlineData("seesr", 2)]
    public void Output_has_the_scaled_size_and_8_bit_values_in_the_unit_range(string preset, int scale)
    {
        var pipeline = new RealEsrganDegradation(DegradationConfig.FromName(preset) with { Scale = scale });
        using var hr = DataTestImages.PhotoCrop(128);
        using var pair = pipeline.Degrade(hr, 1, 0);
        pair.Lr.shape.Should().Equal(1, 3, 128 / scale, 128 / scale);
        pair.LrUpsampled.shape.Should().Equal(1, 3, 128, 128);
        pair.Hr.shape.Should().Equal(1, 3, 128, 128);
        foreach (var t in new[] { pair.Lr, pair.LrUpsampled })
        {
            t.dtype.Should().Be(float32);
            t.min().item<float>().Should().BeGreaterThanOrEqualTo(0f);
            t.max().item<float>().Should().BeLessThanOrEqualTo(1f);
            using var scaled = t * 255f;
            using var frac = (scaled - scaled.round()).abs().max();
            frac.item<float>().Should().BeLessThan(1e-4f);
        }
    }

    [Fact]
    public void Same_seed_gives_identical_bytes_and_a_different_seed_does_not()
    {
        var pipeline = new RealEsrganDegradation();
        using var hr = DataTestImages.PhotoCrop(128, "Nikon_011_LR4.png");
        using var a = pipeline.Degrade(hr, 77, 3);
        using var b = new RealEsrganDegradation().Degrade(hr, 77, 3);
        using var c = pipeline.Degrade(hr, 78, 3);
        Bytes(a.Lr).Should().Equal(Bytes(b.Lr));
        Bytes(a.LrUpsampled).Should().Equal(Bytes(b.LrUpsampled));
        Bytes(a.Lr).Should().NotEqual(Bytes(c.Lr));
    }

    [Fact]
    public void Per_sample_batches_equal_the_samples_degraded_alone()
    {
        var pipeline = new RealEsrganDegradation(DegradationConfig.OSEDiff);
        using var one = DataTestImages.PhotoCrop(64, top: 0, left: 0);
        using var two = DataTestImages.PhotoCrop(64, top: 200, left: 300);
        using var batch = cat([one, two], 0);
        using var together = pipeline.Degrade(batch, 9, 40);
        using var alone = pipeline.Degrade(two, 9, 41);
        Bytes(together.Lr[1]).Should().Equal(Bytes(alone.Lr[0]));
    }

    [Fact]
    public void Per_batch_presets_degrade_a_whole_batch_at_once()
    {
        var pipeline = new RealEsrganDegradation(DegradationConfig.RealEsrgan);
        using var one = DataTestImages.PhotoCrop(64, top: 0, left: 0);
        using var two = DataTestImages.PhotoCrop(64, top: 100, left: 100);
        using var batch = cat([one, two, one], 0);
        using var pair = pipeline.Degrade(batch, 5, 0);
        pair.Lr.shape.Should().Equal(3, 3, 16, 16);
        using var d = (pair.Lr[0] - pair.Lr[2]).abs().max();
        d.item<float>().Should().BeGreaterThan(0f, "samples 0 and 2 share the HR but not their kernels and noise");
    }

    [Fact]
    public void USM_presets_return_the_sharpened_ground_truth_and_others_the_input()
    {
        using var hr = DataTestImages.PhotoCrop(64);
        using var plain = new RealEsrganDegradation(DegradationConfig.OSEDiff).Degrade(hr, 1);
        TensorAssert.Close(plain.Hr, hr, 0);
        using var sharpened = new RealEsrganDegradation(DegradationConfig.SeeSR).Degrade(hr, 1);
        TensorAssert.MaxAbsDiff(sharpened.Hr, hr).Should().BeGreaterThan(0.01);
    }

    [Fact]
    public void A_no_degradation_plan_is_a_bicubic_down_scale()
    {
        var pipeline = new RealEsrganDegradation();
        using var hr = DataTestImages.PhotoCrop(64);
        var plan = pipeline.Sampler.Sample(1, 0) with { NoDegradation = true };
        using var pair = pipeline.Apply(hr, plan);
        using var expected = TsdSr.Data.Degradation.Operators.Quantizer.To8Bit(
            TsdSr.Data.Degradation.Operators.Resizer.ToSize(hr, 16, 16, ResizeMode.Bicubic));
        TensorAssert.Close(pair.Lr, expected, 0);
    }

    [Fact]
    public void Degradation_leaves_no_live_tensors()
    {
        var pipeline = new RealEsrganDegradation();
        using var hr = rand(1, 3, 64, 64);
        LeakCheck.NoLiveTensorsAfter(() => pipeline.Degrade(hr, 3).Dispose(), iterations: 2);
    }

    [Fact]
    public void Bad_inputs_are_rejected()
    {
        var pipeline = new RealEsrganDegradation();
        using var odd = rand(1, 3, 66, 64);
        var act = () => pipeline.Degrade(odd, 1);
        act.Should().Throw<ArgumentException>().WithMessage("*multiple of the scale 4*");
        using var grey = rand(1, 1, 64, 64);
        act = () => pipeline.Degrade(grey, 1);
        act.Should().Throw<ArgumentException>();
    }

    private static byte[] Bytes(Tensor t)
    {
        using var b = (t * 255f).round().to(uint8).contiguous();
        return b.data<byte>().ToArray();
    }
}
