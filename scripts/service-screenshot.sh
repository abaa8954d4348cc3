#!/usr/bin/env bash
# Retakes docs/images/service.png: starts the web service sample on a loopback port, opens its page in headless
# Chromium with ?sample (which upscales the sample photo at once) and saves the window. Needs Debian's `chromium`
# package. By default the service uses the bundled TSD-SR-nano model (src/TsdSr.Nano/model); pass model folders to show
# another one:
#   scripts/service-screenshot.sh [MODEL_DIR LORA_DIR EMBEDDINGS_DIR]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
command -v chromium >/dev/null || { echo "Install Chromium first: apt-get install -y chromium" >&2; exit 1; }

models=()
if [ $# -ge 3 ]; then
  models=(--TsdSr:ModelDirectory "$1" --TsdSr:LoraDirectory "$2" --TsdSr:EmbeddingsDirectory "$3")
fi
port=5099
profile="$(mktemp -d)"

dotnet build samples/TsdSr.Service -c Release --nologo -v quiet
samples/TsdSr.Service/bin/Release/net10.0/TsdSr.Service --urls "http://127.0.0.1:$port" \
  "${models[@]}" \
  >"$profile/service.log" 2>&1 &
service=$!
trap 'kill "$service" 2>/dev/null || true; rm -rf "$profile"' EXIT

for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break
  sleep 1
done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { cat "$profile/service.log" >&2; exit 1; }

# Virtual time waits for the upload to come back before the screenshot is taken.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile/chromium" --hide-scrollbars \
  --window-size=1280,720 --virtual-time-budget=300000 --screenshot="$repo/docs/images/service.png" \
  "http://127.0.0.1:$port/?sample" 2>/dev/null
echo "Wrote docs/images/service.png"
