#!/usr/bin/env bash
# Deals at scale: a synthetic organisation with a 1,000,000-row CRM export
# (about 100 MB), loaded and aggregated by `bullpen metrics`. Prints wall
# time, CPU time and peak memory for each run. Usage: bench/deals.sh [ROWS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
runs="${2:-3}"
site="${TMPDIR:-/tmp}/bullpen-bench-deals-$rows"
if [ ! -f "$site/content/deals/salesforce-export.csv" ]; then
  python3 bench/generate.py "$site" --reps 2000 --quarters 8 --playbooks 10 --deals "$rows"
fi
cargo build --release --quiet
echo "export: $(du -h "$site/content/deals/salesforce-export.csv" | cut -f1), $rows rows, 2,000 reps, 8 quarters"
for run in $(seq "$runs"); do
  /usr/bin/time -f "run $run: %e s wall, %U s user + %S s system CPU, %M KB peak" \
    ./target/release/bullpen metrics --root "$site" > /dev/null
done
