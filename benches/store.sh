#!/usr/bin/env bash
# The folder store and the PostgreSQL store compared (release build): deploys of the synthetic
# application (N = 100 and 1,000) and `history` of an environment of 10,000 records.
# Starts a throwaway PostgreSQL cluster (.ci/postgres.sh, fsync on, as a real server) unless
# GOLDPATH_BENCH_PG_URL names one. Usage: benches/store.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/goldpath/target}"
if [ -z "${GOLDPATH_BENCH_PG_URL:-}" ]; then
  pgdir=$(mktemp -d); trap '.ci/postgres.sh stop "$pgdir"' EXIT
  GOLDPATH_BENCH_PG_URL=$(GOLDPATH_PG_FSYNC=on .ci/postgres.sh start "$pgdir") && export GOLDPATH_BENCH_PG_URL
fi
cargo bench -q -p goldpath-benches --bench store
