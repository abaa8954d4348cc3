#!/usr/bin/env python3
"""Memory each stage of the SD3 VAE adds in PyTorch (the Python side of `TsdSr.Benchmarks -- --vae-memory sd3`).

    scripts/bench/vae-memory.py [bf16]

Uses the plain-PyTorch SD3 VAE of scripts/gpu/mmdit_reference.py (random weights), one thread, 512^2. For each stage
(encode to the posterior mean, decode): one warm-up run, then the peak RSS during a second run minus the RSS before
it (Linux: /proc/self/status, the peak reset through /proc/self/clear_refs), also in units of one full-resolution
128-channel activation.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gpu"))
import mmdit_reference  # noqa: E402


def status_mib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return -1.0


def main():
    torch.set_num_threads(1)
    dtype = torch.bfloat16 if "bf16" in sys.argv[1:] else torch.float32
    torch.manual_seed(1)
    vae = mmdit_reference.PlainVae().to(dtype).eval()
    image = (torch.rand(1, 3, 512, 512) * 2 - 1).to(dtype)
    latent = torch.randn(1, 16, 64, 64).to(dtype)
    unit = 128 * 512 * 512 * (4 if dtype == torch.float32 else 2) / 2**20
    print(f"PyTorch {torch.__version__}, SD3 VAE, {dtype}, 512^2, one activation of 128 channels at full size: {unit:.0f} MiB")
    with torch.inference_mode():
        for name, run in (("encode", lambda: vae.encode(image)), ("decode", lambda: vae.decode(latent))):
            run()
            before = status_mib("VmRSS:")
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
            out = run()
            del out
            added = status_mib("VmHWM:") - before
            print(f"  {name}: adds {added:.0f} MiB above {before:.0f} MiB ({added / unit:.1f} activations)")


if __name__ == "__main__":
    main()
