#!/usr/bin/env python3
"""The Python side of scripts/gpu/run-device-bench.sh: SD3-medium-sized random weights timed with plain PyTorch.

Prints one JSON line per measurement, like `TsdSr.Benchmarks --device-series`:
  transformer  one MMDiT forward on an N/8 latent (N²/256 image tokens + 333 text tokens);
  vae-encode / vae-decode   the SD3 VAE encoder on N² (posterior mean) and decoder of an N/8 latent;
  end-to-end   VAE encode of N² + one untiled transformer forward + VAE decode (no LoRA, no colour fix).
With diffusers the models are diffusers' SD3Transformer2DModel and AutoencoderKL; without it, the MMDiT and VAE below,
which do the same work (same layers, widths and attention) and no more. CUDA events time the GPU; best of --reps after one warm-up.
Runs on the CPU too (--device cpu, small --sizes) as a smoke test.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SD3_MEDIUM = dict(layers=24, width=1536, heads=24, patch=2, in_channels=16, joint_dim=4096, pooled_dim=2048,
                  pos_max=192, text_tokens=333)


def attention(q, k, v):
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v)
    # torch < 2.0 (Debian 12's python3-torch is 1.13) has no fused attention: the explicit product, as diffusers'
    # AttnProcessor computes it there.
    weights = torch.softmax((q @ k.transpose(-1, -2)) * q.shape[-1] ** -0.5, dim=-1)
    return weights @ v


class AdaNormZero(nn.Module):
    def __init__(self, d, chunks):
        super().__init__()
        self.linear = nn.Linear(d, chunks * d)
        self.norm = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.chunks = chunks

    def forward(self, x, temb):
        mods = self.linear(F.silu(temb)).unsqueeze(1).chunk(self.chunks, dim=-1)
        return self.norm(x) * (1 + mods[1]) + mods[0], mods


class FeedForward(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.up = nn.Linear(d, 4 * d)
        self.down = nn.Linear(4 * d, d)

    def forward(self, x):
        return self.down(F.gelu(self.up(x), approximate="tanh"))


class JointBlock(nn.Module):
    def __init__(self, d, heads, context_pre_only):
        super().__init__()
        self.heads = heads
        self.context_pre_only = context_pre_only
        self.norm1 = AdaNormZero(d, 6)
        self.norm1_context = AdaNormZero(d, 2 if context_pre_only else 6)
        self.qkv = nn.Linear(d, 3 * d)
        self.qkv_context = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.ff = FeedForward(d)
        self.norm2 = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        if not context_pre_only:
            self.out_context = nn.Linear(d, d)
            self.ff_context = FeedForward(d)
            self.norm2_context = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)

    def forward(self, x, c, temb):
        b, n, d = x.shape
        h, mx = self.norm1(x, temb)
        hc, mc = self.norm1_context(c, temb)
        qkv = torch.cat([self.qkv(h), self.qkv_context(hc)], dim=1).view(b, -1, 3, self.heads, d // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        o = attention(q, k, v).transpose(1, 2).reshape(b, -1, d)
        ox, oc = o[:, :n], o[:, n:]
        x = x + mx[2] * self.out(ox)
        x = x + mx[5] * self.ff(self.norm2(x) * (1 + mx[4]) + mx[3])
        if self.context_pre_only:
            return x, None
        c = c + mc[2] * self.out_context(oc)
        c = c + mc[5] * self.ff_context(self.norm2_context(c) * (1 + mc[4]) + mc[3])
        return x, c


class MMDiT(nn.Module):
    """SD3's MMDiT: patch embedding + position table, timestep/pooled embeddings, joint blocks, AdaLN output."""

    def __init__(self, layers, width, heads, patch, in_channels, joint_dim, pooled_dim, pos_max, **_):
        super().__init__()
        self.patch, self.in_channels, self.pos_max = patch, in_channels, pos_max
        self.proj = nn.Conv2d(in_channels, width, patch, stride=patch)
        self.register_buffer("pos_embed", torch.randn(1, pos_max * pos_max, width) * 0.02)
        self.time = nn.Sequential(nn.Linear(256, width), nn.SiLU(), nn.Linear(width, width))
        self.text = nn.Sequential(nn.Linear(pooled_dim, width), nn.SiLU(), nn.Linear(width, width))
        self.context_embedder = nn.Linear(joint_dim, width)
        self.blocks = nn.ModuleList(JointBlock(width, heads, i == layers - 1) for i in range(layers))
        self.norm_out = nn.Linear(width, 2 * width)
        self.proj_out = nn.Linear(width, patch * patch * in_channels)

    def forward(self, latent, text, pooled, t):
        b, _, hh, ww = latent.shape
        p, gh, gw = self.patch, hh // self.patch, ww // self.patch
        x = self.proj(latent).flatten(2).transpose(1, 2)
        top, left = (self.pos_max - gh) // 2, (self.pos_max - gw) // 2
        table = self.pos_embed.view(1, self.pos_max, self.pos_max, -1)[:, top:top + gh, left:left + gw]
        x = x + table.reshape(1, gh * gw, -1)
        half = 128
        freqs = torch.exp(-math.log(10000) * torch.arange(half, device=t.device, dtype=torch.float32) / half)
        args = t.float()[:, None] * freqs[None]
        sinusoid = torch.cat([torch.cos(args), torch.sin(args)], dim=-1).to(x.dtype)
        temb = self.time(sinusoid) + self.text(pooled)
        c = self.context_embedder(text)
        for block in self.blocks:
            x, c = block(x, c, temb)
        scale, shift = self.norm_out(F.silu(temb)).unsqueeze(1).chunk(2, dim=-1)
        x = F.layer_norm(x, (x.shape[-1],), eps=1e-6) * (1 + scale) + shift
        x = self.proj_out(x).view(b, gh, gw, p, p, self.in_channels)
        return x.permute(0, 5, 1, 3, 2, 4).reshape(b, self.in_channels, hh, ww)


class ResnetBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.norm1 = nn.GroupNorm(32, cin, eps=1e-6)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.norm2 = nn.GroupNorm(32, cout, eps=1e-6)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.shortcut is None else self.shortcut(x)) + h


class MidAttention(nn.Module):
    """The VAE mid-block's single-head attention over every latent pixel."""

    def __init__(self, c):
        super().__init__()
        self.norm = nn.GroupNorm(32, c, eps=1e-6)
        self.q, self.k, self.v, self.out = (nn.Linear(c, c) for _ in range(4))

    def forward(self, x):
        b, c, h, w = x.shape
        t = self.norm(x).flatten(2).transpose(1, 2)
        o = attention(self.q(t)[:, None], self.k(t)[:, None], self.v(t)[:, None])[:, 0]
        return x + self.out(o).transpose(1, 2).reshape(b, c, h, w)


class Mid(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.res1, self.attn, self.res2 = ResnetBlock(c, c), MidAttention(c), ResnetBlock(c, c)

    def forward(self, x):
        return self.res2(self.attn(self.res1(x)))


class PlainVae(nn.Module):
    """SD3's VAE (diffusers' AutoencoderKL with 4 levels of 128/256/512/512 channels, 2 resnets per encoder level and
    3 per decoder level, 16 latent channels, no quant convs) in plain PyTorch: the same convolutions, norms and
    attention, so the same work."""

    def __init__(self, channels=(128, 256, 512, 512), latent=16):
        super().__init__()
        self.conv_in = nn.Conv2d(3, channels[0], 3, padding=1)
        down, cin = [], channels[0]
        for i, c in enumerate(channels):
            down += [ResnetBlock(cin, c), ResnetBlock(c, c)]
            cin = c
            if i < len(channels) - 1:
                down.append(nn.Sequential(nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(c, c, 3, stride=2)))
        self.down = nn.Sequential(*down)
        self.enc_mid = Mid(channels[-1])
        self.enc_out = nn.Sequential(nn.GroupNorm(32, channels[-1], eps=1e-6), nn.SiLU(),
                                     nn.Conv2d(channels[-1], 2 * latent, 3, padding=1))
        self.dec_in = nn.Conv2d(latent, channels[-1], 3, padding=1)
        self.dec_mid = Mid(channels[-1])
        up, cin = [], channels[-1]
        for i, c in enumerate(reversed(channels)):
            up += [ResnetBlock(cin, c), ResnetBlock(c, c), ResnetBlock(c, c)]
            cin = c
            if i < len(channels) - 1:
                up += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c, c, 3, padding=1)]
        self.up = nn.Sequential(*up)
        self.dec_out = nn.Sequential(nn.GroupNorm(32, channels[0], eps=1e-6), nn.SiLU(),
                                     nn.Conv2d(channels[0], 3, 3, padding=1))

    def encode(self, image):
        """The posterior's mean (the pipeline's deterministic latent)."""
        return self.enc_out(self.enc_mid(self.down(self.conv_in(image)))).chunk(2, dim=1)[0]

    def decode(self, z):
        return self.dec_out(self.up(self.dec_mid(self.dec_in(z))))


def timer(device, reps, fn):
    """Best of `reps` after one warm-up; CUDA events on a GPU, perf_counter on the CPU."""
    best = float("inf")
    for i in range(reps + 1):
        if device.type == "cuda":
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            torch.cuda.synchronize(device)
            start.record()
            fn()
            end.record()
            torch.cuda.synchronize(device)
            seconds = start.elapsed_time(end) / 1000
        else:
            t0 = time.perf_counter()
            fn()
            seconds = time.perf_counter() - t0
        if i > 0:
            best = min(best, seconds)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--dtype", default="bf16", choices=["bf16", "fp32"])
    ap.add_argument("--sizes", default="512,1024")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--layers", type=int, default=SD3_MEDIUM["layers"], help="fewer for a CPU smoke test")
    ap.add_argument("--plain", action="store_true", help="use the plain MMDiT even if diffusers is installed")
    a = ap.parse_args()
    device = torch.device(a.device)
    dtype = torch.bfloat16 if a.dtype == "bf16" else torch.float32
    cfg = dict(SD3_MEDIUM, layers=a.layers)
    torch.manual_seed(0)

    vae = None
    impl = "pytorch-plain"
    try:
        if a.plain:
            raise ImportError("--plain")
        from diffusers import AutoencoderKL, SD3Transformer2DModel
        transformer = SD3Transformer2DModel(sample_size=128, patch_size=2, in_channels=16, num_layers=cfg["layers"],
                                            attention_head_dim=64, num_attention_heads=cfg["heads"],
                                            joint_attention_dim=cfg["joint_dim"], caption_projection_dim=cfg["width"],
                                            pooled_projection_dim=cfg["pooled_dim"], out_channels=16,
                                            pos_embed_max_size=cfg["pos_max"])
        vae = AutoencoderKL(in_channels=3, out_channels=3, latent_channels=16,
                            down_block_types=["DownEncoderBlock2D"] * 4, up_block_types=["UpDecoderBlock2D"] * 4,
                            block_out_channels=[128, 256, 512, 512], layers_per_block=2, use_quant_conv=False,
                            use_post_quant_conv=False)
        impl = "diffusers"

        def forward(x, text, pooled, t):
            return transformer(hidden_states=x, encoder_hidden_states=text, pooled_projections=pooled,
                               timestep=t, return_dict=False)[0]
    except ImportError as e:
        print(f"# diffusers not used ({e}): plain PyTorch MMDiT and VAE", flush=True)
        transformer = MMDiT(**cfg)
        forward = transformer
        vae = PlainVae()
    transformer = transformer.to(device, dtype).eval()
    if vae is not None:
        vae = vae.to(device, dtype).eval()
    print(f"# torch {torch.__version__}, cuda {torch.version.cuda}, device {device}, {a.dtype}, {impl}, "
          f"{sum(p.numel() for p in transformer.parameters()) / 1e9:.2f} B transformer parameters", flush=True)

    with torch.inference_mode():
        for size in (int(s) for s in a.sizes.split(",")):
            lat = size // 8
            x = torch.randn(1, 16, lat, lat, device=device, dtype=dtype)
            text = torch.randn(1, cfg["text_tokens"], cfg["joint_dim"], device=device, dtype=dtype)
            pooled = torch.randn(1, cfg["pooled_dim"], device=device, dtype=dtype)
            t = torch.full((1,), 999.0, device=device)
            seconds = timer(device, a.reps, lambda: forward(x, text, pooled, t))
            print(json.dumps(dict(impl=impl, stage="transformer", size=size, dtype=a.dtype, device=str(device),
                                  seconds=seconds)), flush=True)
            if vae is not None:
                image = torch.rand(1, 3, size, size, device=device, dtype=dtype) * 2 - 1

                if impl == "diffusers":
                    def encode(im):
                        return vae.encode(im).latent_dist.mode()

                    def decode(z):
                        return vae.decode(z).sample
                else:
                    encode, decode = vae.encode, vae.decode

                def whole():
                    z = encode(image)
                    v = forward(z * 1.5305, text, pooled, t)
                    return decode(z - v / 1.5305)

                for stage, fn in (("vae-encode", lambda: encode(image)),
                                  ("vae-decode", lambda: decode(torch.randn(1, 16, lat, lat, device=device, dtype=dtype)))):
                    seconds = timer(device, a.reps, fn)
                    print(json.dumps(dict(impl=impl, stage=stage, size=size, dtype=a.dtype, device=str(device),
                                          seconds=seconds)), flush=True)

                seconds = timer(device, a.reps, whole)
                print(json.dumps(dict(impl=impl, stage="end-to-end", size=size, dtype=a.dtype, device=str(device),
                                      seconds=seconds)), flush=True)


if __name__ == "__main__":
    main()
