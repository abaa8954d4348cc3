#!/usr/bin/env bash
# Evaluates TSD-SR-nano and its ablation arms against bicubic, with `tsdsr eval` (pyiqa-identical PSNR/SSIM on Y, NIQE):
#   - on the 20 RealSR pairs of the test data (128 -> 512, real camera LR/HR pairs), and
#   - on held-out photos the models never saw (photo-pool/heldout: two 512 crops of each large enough photo), with two
#     kinds of LR: Pillow-bicubic /4 (clean, the classic SR benchmark input) and the seesr degradation the models
#     trained with (blur, noise, JPEG; far harsher than RealSR's camera LR);
# plus the VAE's own reconstruction of the RealSR HR images (the ceiling of every arm). Results: docs/nano/results/*.json.
#
#   scripts/nano/evaluate.sh            run from the repository root after scripts/nano/train.sh
#   ARMS="tsd-dasm" scripts/nano/evaluate.sh   only these arms (ARMS="" : bicubic and the VAE only)
set -euo pipefail
cd "$(dirname "$0")/../.."

cli="dotnet runs/nano/cli/tsdsr.dll"
realsr=tests/TsdSr.Tests/data/realsr_subset
results=docs/nano/results
work=runs/nano/eval
mkdir -p "$results" "$work"
metrics=psnr,ssim,niqe

# Held-out pairs: two 512 crops per held-out photo that is large enough, seesr-degraded to 128 (seeded: repeatable),
# and the same crops bicubic-downscaled to 128.
if [ ! -d "$work/heldout-pairs/gt" ]; then
  $cli degrade --input photo-pool/heldout --output "$work/heldout-pairs" --preset seesr --crop 512 --per-image 2 --seed 7
fi
if [ ! -d "$work/heldout-clean-lr" ]; then
  $cli resize --down --scale 4 --input "$work/heldout-pairs/gt" --output "$work/heldout-clean-lr"
fi

evaluate() { # name sr-folder hr-folder result-file
  rm -f "$4"
  $cli eval --sr "$2" --hr "$3" --metrics "$metrics" --format json --output "$4"
}

# The VAE's reconstruction of the HR images.
rm -rf "$work/vae-realsr" && $cli reconstruct --model runs/nano/teacher --input "$realsr/hr" --output "$work/vae-realsr"
evaluate vae "$work/vae-realsr" "$realsr/hr" "$results/realsr-vae-reconstruction.json"

for set in realsr heldout-bicubic heldout-seesr; do
  case "$set" in
    realsr) lr="$realsr/lr"; hr="$realsr/hr" ;;
    heldout-bicubic) lr="$work/heldout-clean-lr"; hr="$work/heldout-pairs/gt" ;;
    heldout-seesr) lr="$work/heldout-pairs/lr"; hr="$work/heldout-pairs/gt" ;;
  esac
  rm -rf "$work/$set-bicubic" && $cli resize --input "$lr" --output "$work/$set-bicubic" --scale 4
  evaluate bicubic "$work/$set-bicubic" "$hr" "$results/$set-bicubic.json"
  for arm in ${ARMS-recon vsd tsd tsd-dasm mild mild-usm mild-usm-g10 mild-usm-g10-ext1.5}; do
    out="$work/$set-$arm"
    rm -rf "$out"
    $cli upscale --model runs/nano/teacher --lora "runs/nano/student-$arm/student" --embeddings runs/nano/teacher/embeddings/default \
      --input "$lr" --output "$out" --device cpu | tee "$work/$set-$arm.log"
    evaluate "$arm" "$out" "$hr" "$results/$set-$arm.json"
  done
done
echo "Results in $results."
