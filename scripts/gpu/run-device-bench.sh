#!/usr/bin/env bash
# The GPU benchmark, for the device tool's machine (PyTorch 2.11 + CUDA 13, no .NET). Carry artifacts/device-bench
# (made here by scripts/gpu/publish-device-bench.sh) and run from the repository root:
#   bash scripts/gpu/run-device-bench.sh            (the device tool puts results under $OUT)
# 1. Points TorchSharp at the device's libtorch (python's torch/lib) through LD_LIBRARY_PATH.
# 2. Runs TsdSr.Benchmarks --device-series cuda bf16 at 512² and 1024² (transformer forward + end to end). If
#    TorchSharp 0.107 (built against libtorch 2.10) cannot load that libtorch, the exact error is kept: that is a result.
# 3. Runs scripts/gpu/mmdit_reference.py on the same card (diffusers if installed, else plain PyTorch).
# 4. Writes $OUT/summary.txt with both sets of JSON lines side by side.
# A dry run on a machine without a GPU checks everything but CUDA itself (the publish, the trimmed natives, loading a
# libtorch from a torch/lib-style folder): TORCH_LIB=<a libtorch 2.10 lib folder> DEVICE=cpu TINY=1 SIZES=64 REPS=1.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
log() { echo "$*" | tee -a "$OUT/summary.txt"; }
SIZES=${SIZES:-512,1024}
REPS=${REPS:-3}
DEVICE=${DEVICE:-cuda}
TINY=${TINY:-}

log "== $(date -u +%FT%TZ) device bench"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | tee -a "$OUT/summary.txt"
torch_lib=${TORCH_LIB:-$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>"$OUT/python-torch.err")} || {
  log "python3 cannot import torch: $(cat "$OUT/python-torch.err")"
  exit 1
}
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())' 2>&1 | tee -a "$OUT/summary.txt"
log "torch/lib: $torch_lib"

app=$(mktemp -d)/app
if [[ ! -f artifacts/device-bench/app.tar.xz ]]; then
  log "artifacts/device-bench/app.tar.xz is missing: run scripts/gpu/publish-device-bench.sh and carry artifacts/device-bench"
  exit 1
fi
tar -C "$(dirname "$app")" -xJf artifacts/device-bench/app.tar.xz
# The device's libtorch first; TorchSharp dlopens libtorch_cuda.so by name, so it must be on the search path too.
export LD_LIBRARY_PATH="$torch_lib:$app${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
log "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
ldd "$app/libLibTorchSharp.so" >"$OUT/ldd-libtorchsharp.txt" 2>&1
# A "weak version ... not found" line is the GLIBCXX requirement the build marks weak on purpose: harmless.
grep "not found" "$OUT/ldd-libtorchsharp.txt" | grep -qv "weak version" && log "ldd libLibTorchSharp.so: $(grep 'not found' "$OUT/ldd-libtorchsharp.txt" | grep -v 'weak version' | tr '\n' ' ')"

log "== TorchSharp (TsdSr.Benchmarks --device-series $DEVICE bf16 sizes=$SIZES ${TINY:+tiny})"
timeout 420 "$app/TsdSr.Benchmarks" --device-series "$DEVICE" bf16 "sizes=$SIZES" "reps=$REPS" ${TINY:+tiny} >"$OUT/tsdsr.txt" 2>&1
rc=$?
if (( rc != 0 )); then
  log "TsdSr.Benchmarks exited with $rc; its last lines (the exact error):"
  tail -n 40 "$OUT/tsdsr.txt" | tee -a "$OUT/summary.txt"
  # The same load outside the benchmark, for the bare error of the native library itself.
  python3 - "$app/libLibTorchSharp.so" <<'PY' 2>&1 | tee -a "$OUT/summary.txt"
import ctypes, sys
try:
    import torch  # loads libtorch into this process first, as TorchSharp would need it
    ctypes.CDLL(sys.argv[1])
    print("ctypes loads libLibTorchSharp.so against this libtorch")
except OSError as e:
    print("ctypes load error:", e)
PY
else
  grep -E '^\{' "$OUT/tsdsr.txt" >>"$OUT/summary.txt"
fi

log "== PyTorch reference (scripts/gpu/mmdit_reference.py)"
timeout 300 python3 scripts/gpu/mmdit_reference.py --device "$DEVICE" --dtype bf16 --sizes "$SIZES" --reps "$REPS" ${TINY:+--layers 1} >"$OUT/pytorch.txt" 2>&1
prc=$?
cat "$OUT/pytorch.txt" >>"$OUT/summary.txt"
(( prc != 0 )) && log "mmdit_reference.py exited with $prc"
log "== done: TorchSharp rc $rc, PyTorch rc $prc"
exit $(( rc != 0 ? rc : prc ))
