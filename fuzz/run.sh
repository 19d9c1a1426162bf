#!/usr/bin/env bash
# Runs every fuzz target for SECONDS_EACH seconds (default 1200: twenty
# minutes), all at once at the lowest CPU priority, seeded from the fixtures
# and the saved regression inputs, and prints libFuzzer's final stats.
#
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP lets the stable
# toolchain build them. SANITIZER=none builds without AddressSanitizer where
# the sanitizer runtime is missing. TARGETS picks some targets only, and
# FUZZ_ARGS adds libFuzzer flags (say -max_len=100000: by default inputs
# stay near the size of the largest seed).
# A failing input lands in fuzz/artifacts/<target>/: minimise it with
# `cargo fuzz tmin`, save it in tests/fixtures/fuzz-regressions/<target>/,
# and `cargo test fuzz_regressions` replays it from then on.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${SECONDS_EACH:-1200}"
sanitizer="${SANITIZER:-address}"
read -r -a targets <<< "${TARGETS:-content markdown chart_spec deals site_yaml}"
# Its own target folder: the fuzz build's flags differ from the crate's.
target_dir="${FUZZ_TARGET_DIR:-$(cd .. && pwd)/fuzz-target}"
export RUSTC_BOOTSTRAP=1
./seed.sh
nice -n 19 cargo fuzz build -s "$sanitizer" --target-dir "$target_dir"
mkdir -p logs
pids=()
for target in "${targets[@]}"; do
  echo "== $target: ${seconds}s"
  nice -n 19 cargo fuzz run -s "$sanitizer" --target-dir "$target_dir" "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 ${FUZZ_ARGS:-} \
    > "logs/$target.log" 2>&1 &
  pids+=($!)
done
# Non-zero when any target found something.
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
for target in "${targets[@]}"; do
  echo "== $target"
  grep -E '^(stat::|Done |SUMMARY|==[0-9]+== ?ERROR)|Test unit written|panicked' "logs/$target.log" || true
  grep -E '^#[0-9]+' "logs/$target.log" | tail -1 || true
  echo "corpus: $(find "corpus/$target" -type f | wc -l) inputs"
done
exit "$status"
