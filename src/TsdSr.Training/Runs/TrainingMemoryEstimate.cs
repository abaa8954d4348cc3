using TsdSr.Core.Devices;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using TsdSr.Training.Config;

namespace TsdSr.Training.Runs;

/// <summary>
/// The memory a training run asks for, from the configs alone: the fp32 base models as they are built, plus the three
/// trained adapters at 16 bytes per parameter (value, gradient, two AdamW moments), counted on every LoRA-capable layer
/// (an upper bound). A rank of 10^8 or a config with a hundred thousand layers is refused with this figure instead of
/// allocating until the kernel kills the process.
/// </summary>
public static class TrainingMemoryEstimate
{
    /// <summary>Bytes per trained adapter parameter: fp32 value, gradient and two AdamW moments.</summary>
    public const long BytesPerTrainedParameter = 16;

    /// <summary>The estimate, saturating at <see cref="long.MaxValue"/>.</summary>
    public static long Bytes(SD3TransformerConfig transformer, AutoencoderKLConfig vae, LoraSection lora)
    {
        try
        {
            checked
            {
                long adapters = transformer.LoraParameterCount(lora.StudentRank)
                    + transformer.LoraParameterCount(lora.FakeScoreRank)
                    + vae.LoraParameterCount(lora.VaeRank);
                return transformer.EstimatedBytes() + vae.EstimatedBytes() + (adapters * BytesPerTrainedParameter);
            }
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>Refuses the run when the estimate exceeds the available memory.</summary>
    /// <exception cref="MemoryEstimateException">It does not fit; the message gives the estimate and the ranks.</exception>
    public static void EnsureFits(SD3TransformerConfig transformer, AutoencoderKLConfig vae, LoraSection lora, string baseModel) =>
        HostMemory.EnsureFits(
            Bytes(transformer, vae, lora),
            $"the training run (base model '{baseModel}': {transformer.NumLayers} transformer layers of width {transformer.InnerDim}; "
            + $"lora.student_rank {lora.StudentRank}, lora.vae_rank {lora.VaeRank}, lora.fake_score_rank {lora.FakeScoreRank})");
}
