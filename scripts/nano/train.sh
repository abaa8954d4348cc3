#!/usr/bin/env bash
# Trains TSD-SR-nano end to end with `tsdsr train`: VAE, teacher, the shared student warm-up, the four ablation
# arms (reconstruction only, + VSD, + TSD, + TSD with DASM), then the fine-tunes of arm 4 on milder degradations
# (stage 3c), then the weight-space extrapolation of the TSD term that makes the shipped student
# (student-mild-usm-g10-ext1.5). Every stage resumes from its newest checkpoint, so the script can be stopped (Ctrl+C)
# and run again at any time; finished stages are skipped. A stage with a scripts/nano/STAGE.blend file instead of a
# .json config is not trained: `tsdsr blend` combines the students it lists (one WEIGHT=PATH per line).
#
#   scripts/nano/train.sh [STAGE ...]      default: every stage above, in order (the extra runs and blends, e.g.
#                                          student-tsd-w50 or student-mild-usm-g10-ext2, only when named)
#
# Needs the photo pool (scripts/build-photo-pool.sh, into photo-pool/) and writes under runs/nano/. Run it from the
# repository root. The CLI is published once to runs/nano/cli (or the folder TSDSR_CLI_DIR names) so that rebuilding
# the repository never touches the binaries of a running job.
set -euo pipefail
cd "$(dirname "$0")/../.."

stages=("$@")
if [ ${#stages[@]} -eq 0 ]; then
  stages=(vae teacher student-base student-recon student-vsd student-tsd student-tsd-dasm student-mild student-mild-usm student-mild-usm-g10 student-mild-usm-g10-ext1.5)
fi

if [ ! -d photo-pool/train ]; then
  echo "photo-pool/train is missing: build the pool first (scripts/build-photo-pool.sh)." >&2
  exit 2
fi

cli="${TSDSR_CLI_DIR:-runs/nano/cli}"
if [ ! -f "$cli/tsdsr.dll" ]; then
  dotnet publish samples/TsdSr.Cli -c Release -o "$cli" --nologo -v quiet
fi

export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
for stage in "${stages[@]}"; do
  blend="scripts/nano/$stage.blend"
  if [ -f "$blend" ]; then
    if [ -d "runs/nano/$stage/student" ]; then
      echo "=== $stage: runs/nano/$stage/student exists (skipped)"
      continue
    fi
    terms=()
    while read -r term; do terms+=("--term=$term"); done < <(grep -v '^[[:space:]]*\(#\|$\)' "$blend")
    echo "=== $stage (blend of ${#terms[@]} students)"
    dotnet "$cli/tsdsr.dll" blend "${terms[@]}" --output "runs/nano/$stage/student"
    continue
  fi

  config="scripts/nano/$stage.json"
  [ -f "$config" ] || { echo "No config $config." >&2; exit 2; }
  mkdir -p runs/nano
  echo "=== $stage ($(date -u +%FT%TZ))"
  start=$(date +%s)
  dotnet "$cli/tsdsr.dll" train --config "$config" 2>&1 | tee -a "runs/nano/$stage.log"
  status=${PIPESTATUS[0]}
  echo "=== $stage: exit $status after $(( $(date +%s) - start )) s" | tee -a "runs/nano/$stage.log"
  [ "$status" -eq 0 ] || exit "$status"
done
