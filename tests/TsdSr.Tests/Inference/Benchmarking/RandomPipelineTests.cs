using TsdSr.Inference.Benchmarking;
using TsdSr.Models.Lora;

namespace TsdSr.Tests.Inference.Benchmarking;

/// <summary>The random-weight models that <c>tsdsr bench</c> and the benchmarks time are built as the pipeline loads real ones.</summary>
public sealed class RandomPipelineTests
{
    [Fact]
    public void By_default_the_lora_is_merged_as_the_pipeline_loads_it_so_no_runtime_adapter_is_timed()
    {
        var (transformer, vae) = RandomPipeline.CreateModels(ModelFamily.Tiny);
        using (transformer)
        using (vae)
        {
            LoraAdapters.AdapterNames(transformer).Should().BeEmpty();
            LoraAdapters.AdapterNames(vae).Should().BeEmpty();
        }
    }

    [Fact]
    public void On_request_the_lora_stays_a_runtime_adapter_on_the_transformer_and_the_vae_encoder()
    {
        var (transformer, vae) = RandomPipeline.CreateModels(ModelFamily.Tiny, mergeLora: false);
        using (transformer)
        using (vae)
        {
            LoraAdapters.LayersWith(transformer, "default").Should().NotBeEmpty();
            LoraAdapters.LayersWith(vae, "default").Should().NotBeEmpty().And.OnlyContain(name => name.StartsWith("encoder.", StringComparison.Ordinal));
        }
    }
}
