#!/usr/bin/env bash
# The SD3-medium-sized MMDiT forward (a 512² output: 1024 image + 333 prompt tokens) timed in one run on this CPU,
# alternately by the Python reference and by TsdSr, in bf16 and fp32: the same random-weight work in both (no LoRA,
# untiled), best of 2 after one warm-up, 2 threads unless OMP_NUM_THREADS says otherwise. Prints the JSON lines of
# both and the ratio.
#
#   scripts/bench/cpu-side-by-side.sh        run from the repository root on a quiet machine; needs ~10 GB of RAM
#
# The Python side is scripts/gpu/mmdit_reference.py on Debian 12's PyTorch 1.13 (apt-get install python3-torch
# libopenblas0-pthread: without OpenBLAS, Debian's build falls back to the reference BLAS, 3 GFLOP/s in fp32). It uses
# diffusers' SD3Transformer2DModel when diffusers is importable, else an MMDiT in plain PyTorch with the same layers.
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${PYTHON:-/usr/bin/python3}"
"$python" -c "import torch" 2>/dev/null || { echo "No PyTorch for $python: apt-get install python3-torch libopenblas0-pthread" >&2; exit 2; }
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
dotnet build benchmarks/TsdSr.Benchmarks -c Release --nologo -v quiet >/dev/null
bench=benchmarks/TsdSr.Benchmarks/bin/Release/net10.0/TsdSr.Benchmarks.dll
grep -m1 "model name" /proc/cpuinfo
echo "threads: $OMP_NUM_THREADS; $(date -u +%FT%TZ)"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for dtype in bf16 fp32; do
  "$python" scripts/gpu/mmdit_reference.py --device cpu --sizes 512 --reps 2 --dtype "$dtype" | tee -a "$results"
  dotnet "$bench" --device-series cpu $([ "$dtype" = bf16 ] && echo bf16) sizes=512 reps=2 | grep '^{' | grep '"transformer"' | tee -a "$results"
done
"$python" - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
for dtype in ("bf16", "fp32"):
    ref = [r["seconds"] for r in rows if r["dtype"] == dtype and r["impl"] != "tsdsr"]
    ours = [r["seconds"] for r in rows if r["dtype"] == dtype and r["impl"] == "tsdsr"]
    if ref and ours:
        print(f"{dtype}: reference {ref[0]:.2f} s, TsdSr {ours[0]:.2f} s, TsdSr is {ref[0] / ours[0]:.2f}x the reference's speed")
PY
