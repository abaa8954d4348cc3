#!/usr/bin/env python3
"""Times the SD3 VAE's encode and decode of 512^2 in PyTorch (the Python side of `TsdSr.Benchmarks -- --vae-layout sd3`).

    scripts/bench/vae-time.py [bf16] [rounds=N] [threads=N]

Uses the plain-PyTorch SD3 VAE of scripts/gpu/mmdit_reference.py (random weights, NCHW), one warm-up round, then N
rounds; prints each round and the medians as one JSON line. Run it next to TsdSr's series, alternating the two, so
that both sides see the same machine (docs/performance.md gives the windows measured so).
"""
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gpu"))
import mmdit_reference  # noqa: E402


def arg(name, default):
    for a in sys.argv[1:]:
        if a.startswith(name + "="):
            return int(a.split("=", 1)[1])
    return default


def main():
    torch.set_num_threads(arg("threads", 2))
    rounds = arg("rounds", 3)
    dtype = torch.bfloat16 if "bf16" in sys.argv[1:] else torch.float32
    torch.manual_seed(1)
    vae = mmdit_reference.PlainVae().to(dtype).eval()
    image = (torch.rand(1, 3, 512, 512) * 2 - 1).to(dtype)
    latent = torch.randn(1, 16, 64, 64).to(dtype)
    times = {"encode": [], "decode": []}
    with torch.inference_mode():
        for r in range(rounds + 1):
            for name, run in (("encode", lambda: vae.encode(image)), ("decode", lambda: vae.decode(latent))):
                start = time.perf_counter()
                out = run()
                elapsed = time.perf_counter() - start
                del out
                if r > 0:
                    times[name].append(elapsed)
                    print(f"  round {r} {name}: {elapsed:.2f} s", file=sys.stderr)
    print(json.dumps({"side": "python", "torch": torch.__version__, "dtype": str(dtype).replace("torch.", ""),
                      "threads": torch.get_num_threads(),
                      "encode_median_s": round(statistics.median(times["encode"]), 3),
                      "decode_median_s": round(statistics.median(times["decode"]), 3),
                      "encode_s": [round(t, 3) for t in times["encode"]],
                      "decode_s": [round(t, 3) for t in times["decode"]]}))


if __name__ == "__main__":
    main()
