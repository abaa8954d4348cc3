using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;

namespace TsdSr.Tests.Models.Lora;

/// <summary>The per-model layer cache behind every <see cref="LoraAdapters"/> call: walked once, rebuilt when layers can have been added.</summary>
public class LoraAdaptersCacheTests
{
    [Fact]
    public void Repeated_calls_reuse_one_walk_and_adapter_switches_still_reach_every_layer()
    {
        using var model = new SD3Transformer2DModel(SD3TransformerConfig.Tiny);
        LoraAdapters.Add(model, "a", LoraConfig.TsdSrTransformer with { Rank = 2, Alpha = 2 });
        LoraAdapters.Add(model, "b", LoraConfig.TsdSrTransformer with { Rank = 2, Alpha = 2 }, activate: false);

        var first = LoraAdapters.Layers(model);
        LoraAdapters.SetActive(model, "b");

        LoraAdapters.Layers(model).Should().BeSameAs(first);
        first.Where(l => l.Layer.HasAdapter("b")).Should().NotBeEmpty().And.OnlyContain(l => l.Layer.ActiveAdapters.SequenceEqual(new[] { "b" }));
        LoraAdapters.SetActive(model, "a");
        first.Where(l => l.Layer.HasAdapter("a")).Should().OnlyContain(l => l.Layer.ActiveAdapters.SequenceEqual(new[] { "a" }));
    }

    [Fact]
    public void A_layer_registered_after_the_first_walk_is_found()
    {
        using var host = new Host();
        LoraAdapters.Layers(host).Select(l => l.Name).Should().Equal("first");

        host.AddSecond();

        LoraAdapters.Layers(host).Select(l => l.Name).Should().Equal("first", "second");
    }

    [Fact]
    public void Refresh_forgets_the_cached_walk()
    {
        using var host = new Host();
        var before = LoraAdapters.Layers(host);

        LoraAdapters.Refresh(host);

        LoraAdapters.Layers(host).Should().NotBeSameAs(before).And.Equal(before);
    }

    private sealed class Host : nn.Module<Tensor, Tensor>
    {
        private readonly LoraLinear first = new(4, 4);

        public Host()
            : base(nameof(Host))
        {
            RegisterComponents();
        }

        public void AddSecond() => register_module("second", new LoraLinear(4, 4));

        public override Tensor forward(Tensor input) => input;
    }
}
