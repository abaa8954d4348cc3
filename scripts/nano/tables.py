#!/usr/bin/env python3
"""Prints the result tables of docs/nano.md from the `tsdsr eval` JSON files in docs/nano/results/.

    scripts/nano/tables.py            run from the repository root after scripts/nano/evaluate.sh

Each file holds {"images": [...], "mean": {"psnr": ..., "ssim": ..., "niqe": ...}}; a missing file is printed as a
row of dashes, so a table never silently drops an arm.
"""
import json
import os
import sys

RESULTS = "docs/nano/results"

# (file suffix, row label) per table row, in the order of docs/nano.md.
ARMS = [
    ("bicubic", "bicubic"),
    ("recon", "1. reconstruction only"),
    ("vsd", "2. + VSD"),
    ("tsd", "3. + TSD"),
    ("tsd-dasm", "4. + TSD with DASM"),
    ("tsd-w50", "extra: 3. with the TSD term ×50"),
    ("mild", "3c. arm 4 fine-tuned on mild degradations"),
    ("mild-usm", "3c. arm 4 fine-tuned on mild degradations, USM ground truth (the ×1 run)"),
    ("mild-usm-g10", "3c. as the previous, TSD term ×10 (the ×10 run)"),
    ("mild-usm-g10x2", "3c. the previous continued 400 steps, TSD term ×10"),
    ("mild-usm-g20", "3c. the ×10 run continued, TSD term ×20 (diverged; stopped, not evaluated)"),
    ("mild-usm-g14", "3c. as the ×10 run, TSD term ×14 (diverged; stopped, not evaluated)"),
    ("mild-usm-g12", "3c. as the ×10 run, TSD term ×12 (diverged; stopped, not evaluated)"),
    ("mild-usm-g10-cfg7", "3c. as the ×10 run, teacher guidance 7.5 instead of 5"),
    ("mild-usm-g10-seed6", "3c. the ×10 run repeated with another seed (6)"),
    ("mild-usm-seed6", "3c. the ×1 run repeated with seed 6"),
    ("mild-usm-g10-avg2", "weights: the mean of the seed-5 and seed-6 ×10 runs"),
    ("mild-usm-g10-toward-arm4", "weights: the ×10 run moved 40 % back towards arm 4"),
    ("mild-usm-g10-ext1.25", "weights: the ×10 run extrapolated along its TSD direction, c = 1.25"),
    ("mild-usm-g10-ext1.5", "weights: the same, c = 1.5"),
    ("mild-usm-g10-ext1.75", "weights: the same, c = 1.75"),
    ("mild-usm-g10-ext2", "weights: the same, c = 2"),
    ("mild-usm-g10-seed6-ext1.5", "weights: the seed-6 ×10 run extrapolated along its own TSD direction, c = 1.5"),
    ("mild-usm-seed7", "3c. the ×1 run with a third seed (7)"),
    ("mild-usm-g10-seed7", "3c. the ×10 run with a third seed (7)"),
    ("mild-usm-g10-seed7-ext1.5", "weights: the seed-7 ×10 run extrapolated along its own TSD direction, c = 1.5"),
]

SETS = [
    ("realsr", "20 RealSR pairs (real camera LR, 128 → 512)"),
    ("heldout-bicubic", "held-out photos, clean bicubic LR"),
    ("heldout-seesr", "held-out photos, seesr-degraded LR"),
]


def row(path, label):
    if not os.path.exists(path):
        return f"| {label} | – | – | – |"
    with open(path, encoding="utf-8") as f:
        mean = json.load(f)["mean"]
    return f"| {label} | {mean['psnr']:.2f} | {mean['ssim']:.4f} | {mean['niqe']:.2f} |"


def main():
    shipped = sys.argv[1] if len(sys.argv) > 1 else None
    for name, title in SETS:
        print(f"### {title}\n")
        print("| method | PSNR-Y ↑ | SSIM-Y ↑ | NIQE ↓ |")
        print("|---|---|---|---|")
        for suffix, label in ARMS:
            if suffix == shipped:
                label += " (**shipped**)"
            print(row(os.path.join(RESULTS, f"{name}-{suffix}.json"), label))
        if name == "realsr":
            print(row(os.path.join(RESULTS, "realsr-vae-reconstruction.json"),
                      "*ceiling:* the nano VAE's reconstruction of the HR images"))
        print()


if __name__ == "__main__":
    main()
