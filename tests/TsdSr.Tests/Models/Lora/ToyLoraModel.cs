using TorchSharp.Modules;
using TsdSr.Models.Lora;

namespace TsdSr.Tests.Models.Lora;

/// <summary>
/// A tiny model with diffusers-like names for model-level LoRA tests: a patch conv (<c>pos_embed.proj</c>, 2×2 stride 2),
/// two blocks with <c>attn.to_q</c>, <c>attn.to_k</c>, <c>attn.to_out.0</c>, <c>norm1.linear</c>, <c>ff.linear_1</c> and a
/// non-LoRA LayerNorm, and <c>proj_out</c>.
/// </summary>
internal sealed class ToyLoraModel : nn.Module<Tensor, Tensor>
{
    private readonly ToyPatch pos_embed = new();
    private readonly ModuleList<ToyBlock> transformer_blocks = new(new ToyBlock(), new ToyBlock());
    private readonly LoraLinear proj_out = new(8, 4);

    public ToyLoraModel()
        : base(nameof(ToyLoraModel))
    {
        RegisterComponents();
    }

    /// <summary>x: [B, 4, 8, 8] → [B, 16, 4].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = pos_embed.call(x);
        foreach (var block in transformer_blocks)
        {
            h = block.call(h);
        }

        return proj_out.call(h).MoveToOuterDisposeScope();
    }

    internal sealed class ToyPatch : nn.Module<Tensor, Tensor>
    {
        private readonly LoraConv2d proj = new(4, 8, 2, stride: 2);

        public ToyPatch()
            : base(nameof(ToyPatch))
        {
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return proj.call(x).flatten(2).transpose(1, 2).MoveToOuterDisposeScope();
        }
    }

    internal sealed class ToyBlock : nn.Module<Tensor, Tensor>
    {
        private readonly ToyAttention attn = new();
        private readonly ToyNorm norm1 = new();
        private readonly LayerNorm norm = nn.LayerNorm(8);
        private readonly ToyFeedForward ff = new();

        public ToyBlock()
            : base(nameof(ToyBlock))
        {
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = x + attn.call(norm.call(x)) * norm1.call(x);
            return (h + ff.call(h)).MoveToOuterDisposeScope();
        }
    }

    internal sealed class ToyAttention : nn.Module<Tensor, Tensor>
    {
        private readonly LoraLinear to_q = new(8, 8);
        private readonly LoraLinear to_k = new(8, 8, hasBias: false);
        private readonly ModuleList<nn.Module<Tensor, Tensor>> to_out = new(new LoraLinear(8, 8), nn.Dropout(0));

        public ToyAttention()
            : base(nameof(ToyAttention))
        {
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var w = nn.functional.softmax(to_q.call(x).matmul(to_k.call(x).transpose(1, 2)) / Math.Sqrt(8), -1);
            return to_out[0].call(w.matmul(x)).MoveToOuterDisposeScope();
        }
    }

    internal sealed class ToyNorm : nn.Module<Tensor, Tensor>
    {
        private readonly LoraLinear linear = new(8, 8);

        public ToyNorm()
            : base(nameof(ToyNorm))
        {
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return linear.call(nn.functional.silu(x)).MoveToOuterDisposeScope();
        }
    }

    internal sealed class ToyFeedForward : nn.Module<Tensor, Tensor>
    {
        private readonly LoraLinear linear_1 = new(8, 8);

        public ToyFeedForward()
            : base(nameof(ToyFeedForward))
        {
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return linear_1.call(nn.functional.gelu(x)).MoveToOuterDisposeScope();
        }
    }
}
