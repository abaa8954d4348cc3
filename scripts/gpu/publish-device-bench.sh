#!/usr/bin/env bash
# Builds what scripts/gpu/run-device-bench.sh carries to the device machine (which has no .NET): a self-contained
# publish of TsdSr.Benchmarks for linux-x64 without libtorch's CPU libraries (the device's PyTorch provides libtorch),
# packed as artifacts/device-bench/app.tar.xz, which must stay under the device tool's 64 MiB carry limit.
# Usage (repository root): scripts/gpu/publish-device-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=artifacts/device-bench
rm -rf "$out"
mkdir -p "$out"
nice -n 19 dotnet publish benchmarks/TsdSr.Benchmarks -c Release -r linux-x64 --self-contained true \
  -p:PublishTrimmed=false -p:DebugType=none -o "$out/app" >"$out/publish.log"
# libtorch, c10, gomp, etc. come from the device's torch/lib; only TorchSharp's own shim (libLibTorchSharp.so) stays.
find "$out/app" -name '*.so*' ! -name 'libLibTorchSharp.so' \
  \( -name 'libtorch*' -o -name 'libc10*' -o -name 'libgomp*' -o -name 'libbackend_with_compiler*' -o -name 'libshm*' -o -name 'libfbjni*' -o -name 'libpytorch_jni*' -o -name 'libnnapi_backend*' -o -name 'libjitbackend_test*' -o -name 'libtorchbind_test*' -o -name 'libaoti_custom_ops*' -o -name 'libcupti*' -o -name 'libnvrtc*' -o -name 'libcudnn*' \) -delete
# Localised resources and the BenchmarkDotNet disassembler are not needed on the device.
rm -rf "$out"/app/{cs,de,es,fr,it,ja,ko,pl,pt-BR,ru,tr,zh-Hans,zh-Hant}
tar -C "$out" -cJf "$out/app.tar.xz" app
size=$(stat -c %s "$out/app.tar.xz")
echo "publish: $(du -sh "$out/app" | cut -f1) unpacked, app.tar.xz $((size / 1048576)) MiB"
rm -rf "$out/app"
if (( size > 60 * 1048576 )); then
  echo "app.tar.xz is over 60 MiB: too close to the 64 MiB carry limit" >&2
  exit 1
fi
