#!/usr/bin/env bash
# Runs every fuzz target for SECONDS_EACH seconds (default 600), one after
# another, seeded from the fixtures. cargo-fuzz needs nightly features;
# RUSTC_BOOTSTRAP lets the stable toolchain build them.
set -euo pipefail
cd "$(dirname "$0")"
./seed.sh
for target in content markdown chart_spec; do
  echo "== $target"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- \
    -max_total_time="${SECONDS_EACH:-600}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 | tail -25
done
