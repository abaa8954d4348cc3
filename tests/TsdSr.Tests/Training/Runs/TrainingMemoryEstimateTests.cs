using TsdSr.Core.Devices;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using TsdSr.Training.Config;
using TsdSr.Training.Runs;

namespace TsdSr.Tests.Training.Runs;

public sealed class TrainingMemoryEstimateTests
{
    private static readonly SD3TransformerConfig Transformer = SD3TransformerConfig.Tiny;
    private static readonly AutoencoderKLConfig Vae = AutoencoderKLConfig.Tiny;

    [Fact]
    public void The_estimate_is_the_fp32_models_plus_sixteen_bytes_per_trained_adapter_parameter()
    {
        var lora = new LoraSection { StudentRank = 4, VaeRank = 2, FakeScoreRank = 1 };

        long bytes = TrainingMemoryEstimate.Bytes(Transformer, Vae, lora);

        long adapters = Transformer.LoraParameterCount(4) + Transformer.LoraParameterCount(1) + Vae.LoraParameterCount(2);
        bytes.Should().Be(Transformer.EstimatedBytes() + Vae.EstimatedBytes() + (16 * adapters));
    }

    [Fact]
    public void A_rank_of_ten_to_the_eighth_is_refused_with_the_estimate_and_the_ranks()
    {
        var lora = new LoraSection { StudentRank = 100_000_000 };

        TrainingMemoryEstimate.Bytes(Transformer, Vae, lora).Should().BeGreaterThan(1L << 42, "terabytes, on any machine");
        var act = () => TrainingMemoryEstimate.EnsureFits(Transformer, Vae, lora, "models/sd3");

        act.Should().Throw<MemoryEstimateException>().WithMessage("Refusing to build the training run (base model 'models/sd3'*lora.student_rank 100000000, lora.vae_rank 64, lora.fake_score_rank 64): it needs about *");
    }

    [Fact]
    public void The_default_tiny_run_fits()
    {
        TrainingMemoryEstimate.EnsureFits(Transformer, Vae, new LoraSection(), "models/tiny");
    }
}
