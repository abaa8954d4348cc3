#!/usr/bin/env bash
# Builds the photo training pool (docs/photo-pool.md) from Debian packages, using only `apt-get download` and
# `dpkg -x` with private apt folders: nothing is installed and the system's apt state is not touched. The packages'
# photos are then selected, downscaled and written as PNG by `tsdsr photos`, and checked against the committed
# manifest (data/photo-pool/manifest.csv).
#
# Usage: scripts/build-photo-pool.sh [--output DIR] [--work DIR] [--with-enlightenment] [--refresh]
#                                    [--update-manifest] [--contact-sheets DIR]
#   --output DIR          the pool: train/, heldout/, manifest.csv (default: photo-pool/ in the repository)
#   --work DIR            download and unpack cache, kept between runs (default: photo-pool-work/ in the repository)
#   --with-enlightenment  also fetch enlightenment-data (a 401 MB package) for its 13 photos at 4K
#   --refresh             run `apt-get update` and download again even when the packages are cached
#   --update-manifest     rewrite data/photo-pool/manifest.csv from this build instead of verifying against it
#   --contact-sheets DIR  also write one contact sheet per source (excluded photos framed red)
#
# Re-running is cheap: cached packages are not downloaded again, unpacked packages are not unpacked again, and
# unchanged photos are kept. Only the --output and --work folders are written to.
# Exit codes: 0 built and verified; 1 some photos failed or differ from the manifest; 2 usage or setup error.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
output="$repo/photo-pool"
work="$repo/photo-pool-work"
with_enlightenment=0
refresh=0
update_manifest=0
sheets=""
manifest="$repo/data/photo-pool/manifest.csv"
evaluation="$repo/tests/TsdSr.Tests/data/realsr_subset"
packages=(gcompris-qt-data lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 tuxtype-data palapeli-data
          plasma-workspace-wallpapers python3-skimage libjxl-testdata)

die() { echo "build-photo-pool: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --output) [[ $# -ge 2 ]] || die "--output needs a folder"; output="$2"; shift 2 ;;
        --work) [[ $# -ge 2 ]] || die "--work needs a folder"; work="$2"; shift 2 ;;
        --with-enlightenment) with_enlightenment=1; shift ;;
        --refresh) refresh=1; shift ;;
        --update-manifest) update_manifest=1; shift ;;
        --contact-sheets) [[ $# -ge 2 ]] || die "--contact-sheets needs a folder"; sheets="$2"; shift 2 ;;
        -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ $with_enlightenment -eq 1 ]] && packages+=(enlightenment-data)

for tool in apt-get dpkg dotnet; do
    command -v "$tool" >/dev/null || die "'$tool' is not on PATH (needs a Debian/Ubuntu machine with the .NET SDK)"
done

# The folders are created and, for unpacking, cleaned; refuse anything that could hold other data.
mkdir -p "$output" "$work"
output="$(cd "$output" && pwd)"
work="$(cd "$work" && pwd)"
for dir in "$output" "$work"; do
    case "$dir" in
        /|"$HOME"|"$repo"|"$(dirname "$repo")") die "refusing to use '$dir' as the output or work folder" ;;
    esac
done
[[ "$output" != "$work" ]] || die "--output and --work must be different folders"

debs="$work/debs"
extracted="$work/extracted"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$debs" "$extracted"
apt_options=(-o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "Debug::NoLocking=1")
# As root, apt would try to download as the _apt user, who cannot write to the work folder.
[[ $EUID -eq 0 ]] && apt_options+=(-o "APT::Sandbox::User=root")

# The newest cached .deb of a package, or nothing.
cached_deb() { ls -t "$debs/$1"_*.deb 2>/dev/null | head -n 1 || true; }

missing=()
for package in "${packages[@]}"; do
    [[ $refresh -eq 1 || -z "$(cached_deb "$package")" ]] && missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "== apt-get update (private lists in $work/lists)"
    apt-get -q "${apt_options[@]}" update
    echo "== apt-get download ${missing[*]}"
    (cd "$debs" && apt-get -q "${apt_options[@]}" download "${missing[@]}")
else
    echo "== all ${#packages[@]} packages are cached in $debs (--refresh downloads them again)"
fi

echo "== unpacking into $extracted"
for package in "${packages[@]}"; do
    deb="$(cached_deb "$package")"
    [[ -n "$deb" ]] || die "no .deb for $package in $debs"
    # apt names files PACKAGE_VERSION_ARCH.deb, with an epoch's ':' written as %3a.
    version="$(basename "$deb" .deb)"
    version="${version#*_}"
    version="${version%_*}"
    version="${version//%3a/:}"
    target="$extracted/$package"
    if [[ -d "$target" && -f "$target.version" && "$(cat "$target.version")" == "$version" ]]; then
        echo "   $package $version (already unpacked)"
        continue
    fi
    # The .version file is written last: a folder without it is an interrupted unpack and is redone.
    rm -rf -- "$target" "$target.partial" "$target.version"
    dpkg -x "$deb" "$target.partial"
    mv -- "$target.partial" "$target"
    printf '%s\n' "$version" > "$target.version"
    echo "   $package $version"
done

echo "== building the pool in $output"
# The build log is shown only when the build fails.
if ! build_log="$(dotnet build "$repo/samples/TsdSr.Cli" -c Release --nologo -v quiet 2>&1)"; then
    printf '%s\n' "$build_log" >&2
    die "dotnet build failed"
fi
args=(photos --extracted "$extracted" --output "$output" --manifest "$manifest" --evaluation "$evaluation")
[[ $update_manifest -eq 1 ]] || args+=(--verify)
[[ $with_enlightenment -eq 1 ]] && args+=(--optional)
[[ -n "$sheets" ]] && args+=(--contact-sheets "$sheets")
status=0
dotnet run --no-build -c Release --project "$repo/samples/TsdSr.Cli" -- "${args[@]}" || status=$?

case $status in
    0) echo "== done: the pool is in $output (train/ for training, heldout/ never for training)" ;;
    1) echo "== done with problems: see the 'failed:' and 'mismatch:' lines above; the pool in $output lists what was built" >&2 ;;
    *) echo "== failed (exit code $status)" >&2 ;;
esac
exit $status
