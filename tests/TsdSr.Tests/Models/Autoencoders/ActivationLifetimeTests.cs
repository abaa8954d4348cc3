using TorchSharp;
using TsdSr.Models.Autoencoders;

namespace TsdSr.Tests.Models.Autoencoders;

/// <summary>
/// The VAE frees each stage's activation as soon as the next stage exists, as PyTorch's reference counting does: the
/// number of live tensors seen at each stage of the encoder and decoder stays flat instead of growing with depth (at
/// SD3 size and 512² the old code held 3.0 (encode) and 5.8 (decode) more full-resolution activations of 128 MiB than
/// the new; docs/performance.md).
/// </summary>
public sealed class ActivationLifetimeTests : IDisposable
{
    private readonly AutoencoderKL vae;

    public ActivationLifetimeTests()
    {
        manual_seed(1);
        vae = new AutoencoderKL(AutoencoderKLConfig.Tiny);
        vae.eval();
    }

    public void Dispose() => vae.Dispose();

    [Fact]
    public void Live_tensors_do_not_grow_from_stage_to_stage()
    {
        using var inference = inference_mode();
        using var image = rand(1, 3, 64, 64);
        using var latent = randn(1, AutoencoderKLConfig.Tiny.LatentChannels, 64 / AutoencoderKLConfig.Tiny.DownsampleFactor, 64 / AutoencoderKLConfig.Tiny.DownsampleFactor);

        foreach (var (name, run) in new (string, Func<Action<string, Tensor>, Tensor>)[]
        {
            ("encoder", observe => vae.Encoder.Forward(image, observe)),
            ("decoder", observe => vae.Decoder.Forward(latent, observe)),
        })
        {
            var live = new List<(string Stage, long Count)>();
            DisposeScopeManager.Statistics.Reset();
            using (var output = run((stage, _) => live.Add((stage, DisposeScopeManager.Statistics.ThreadTotalLiveCount))))
            {
            }

            live.Should().HaveCountGreaterThanOrEqualTo(5, $"the {name} reports each of its stages");
            // The stage's own output is the one live tensor the chain holds; every earlier stage's output is freed.
            live.Select(l => l.Count).Distinct().Should().ContainSingle($"the {name} holds no earlier stage's activation: {string.Join(", ", live)}");
        }
    }
}
