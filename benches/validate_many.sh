#!/usr/bin/env bash
# Time and peak memory of `goldpath validate` on a folder of N generated Score files
# (release build). Usage: benches/validate_many.sh [N]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/goldpath/target}"
cargo build --release -q -p goldpath-cli
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python3 benches/gen_score_files.py "$n" "$dir/apps"
bin="$CARGO_TARGET_DIR/release/goldpath"
"$bin" validate "$dir/apps" >/dev/null   # warm the page cache
/usr/bin/time -f "validate $n files: %e s wall, %M KiB peak RSS" "$bin" validate "$dir/apps"
