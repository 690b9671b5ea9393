#!/usr/bin/env bash
# Wall time and peak memory of `goldpath render` on synthetic applications of N workloads
# (release build). Usage: benches/render_many.sh [N...]   (default: 100 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/goldpath/target}"
cargo build --release -q -p goldpath-cli
bin="$CARGO_TARGET_DIR/release/goldpath"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
for n in "${@:-100 1000 10000}"; do
  for count in $n; do
    python3 benches/gen_app.py "$count" "$dir/app-$count"
    "$bin" render "$dir/app-$count" --app bench -o "$dir/out.yaml" 2>/dev/null   # warm the page cache
    /usr/bin/time -f "render $count workloads: %e s wall, %M KiB peak RSS" \
      "$bin" render "$dir/app-$count" --app bench -o "$dir/out.yaml" 2>&1 | grep -v '^warning'
    printf '  output: %s bytes\n' "$(wc -c < "$dir/out.yaml")"
  done
done
