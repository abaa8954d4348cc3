using TorchSharp.Modules;
using TsdSr.Models.Autoencoders;

namespace TsdSr.Tests.Models.Autoencoders;

/// <summary>A VAE built from a config (benchmarks, training from scratch) is initialised as PyTorch initialises it.</summary>
public class RandomInitTests
{
    [Fact]
    public void GroupNorm_affine_parameters_start_at_one_and_zero()
    {
        using var vae = new AutoencoderKL(AutoencoderKLConfig.Tiny);
        var norms = vae.modules().OfType<GroupNorm>().ToList();
        norms.Should().NotBeEmpty();
        foreach (var n in norms)
        {
            n.weight!.eq(1).all().item<bool>().Should().BeTrue();
            n.bias!.eq(0).all().item<bool>().Should().BeTrue();
        }
    }

    [Fact]
    public void A_randomly_initialised_vae_gives_finite_outputs()
    {
        manual_seed(7);
        using var vae = new AutoencoderKL(AutoencoderKLConfig.Tiny);
        using var x = rand(1, 3, 32, 32).mul(2).sub(1);
        using var mode = inference_mode();
        using var posterior = vae.Encode(x);
        using var mean = posterior.Mode();
        using var decoded = vae.Decode(mean);
        mean.isfinite().all().item<bool>().Should().BeTrue();
        decoded.isfinite().all().item<bool>().Should().BeTrue();
    }
}
