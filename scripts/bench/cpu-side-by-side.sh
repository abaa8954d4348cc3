#!/usr/bin/env bash
# A 128 -> 512 upscale at SD3-medium size, stage by stage, timed in one run on this CPU by the Python reference and by
# TsdSr, in bf16 and fp32, with the same random-weight work on both sides: VAE encode of 512², one MMDiT forward
# (1024 image + 333 prompt tokens), VAE decode to 512², and the whole upscale. Best of 2 after one warm-up, 2 threads
# unless OMP_NUM_THREADS says otherwise. Prints both sides' JSON and a table of ratios.
#
#   scripts/bench/cpu-side-by-side.sh [bf16 fp32]      run from the repository root on a quiet machine; ~10 GB of RAM
#
# The Python side is scripts/gpu/mmdit_reference.py on Debian 12's PyTorch 1.13 (apt-get install python3-torch
# libopenblas0-pthread: without OpenBLAS, Debian's build falls back to the reference BLAS, 3 GFLOP/s in fp32). It uses
# diffusers' models when diffusers is importable, else an MMDiT and a VAE in plain PyTorch with the same layers. Its
# end to end is encode + forward + decode (no LoRA, no colour fix); TsdSr's (`tsdsr bench`) is the pipeline's whole
# upscale: merged LoRA, wavelet colour fix and the image conversions included.
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${PYTHON:-/usr/bin/python3}"
"$python" -c "import torch" 2>/dev/null || { echo "No PyTorch for $python: apt-get install python3-torch libopenblas0-pthread" >&2; exit 2; }
threads="${OMP_NUM_THREADS:-$(nproc)}"
export OMP_NUM_THREADS="$threads"
dtypes=("$@")
[ ${#dtypes[@]} -gt 0 ] || dtypes=(bf16 fp32)
dotnet build samples/TsdSr.Cli -c Release --nologo -v quiet >/dev/null
cli=samples/TsdSr.Cli/bin/Release/net10.0/tsdsr.dll
grep -m1 "model name" /proc/cpuinfo
echo "threads: $threads; $(date -u +%FT%TZ)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for dtype in "${dtypes[@]}"; do
  "$python" scripts/gpu/mmdit_reference.py --device cpu --sizes 512 --reps 2 --dtype "$dtype" | tee -a "$work/reference.jsonl"
  dotnet "$cli" bench --model sd3-medium --dtype "$dtype" --repetitions 2 --threads "$threads" --json "$work/tsdsr-$dtype.json"
done
"$python" - "$work" <<'PY'
import glob, json, os, sys
work = sys.argv[1]
ref = {(r["dtype"], r["stage"]): r["seconds"] for r in (json.loads(l) for l in open(os.path.join(work, "reference.jsonl")) if l.startswith("{"))}
names = {"encode": "vae-encode", "transformer": "transformer", "decode": "vae-decode", "end_to_end": "end-to-end"}
print("| dtype | stage | reference | TsdSr | TsdSr speed-up |")
print("|---|---|---|---|---|")
for path in sorted(glob.glob(os.path.join(work, "tsdsr-*.json"))):
    for s in json.load(open(path))["stages"]:
        r = ref.get((s["dtype"], names[s["stage"]]))
        if r:
            print(f"| {s['dtype']} | {s['stage']} | {r:.2f} s | {s['seconds']:.2f} s | {r / s['seconds']:.2f}x |")
PY
