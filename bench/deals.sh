#!/usr/bin/env bash
# Deals at scale: a synthetic organisation with a 1,000,000-row CRM export
# (about 100 MB) and two weekly snapshots of 200,000 open deals each, loaded
# and aggregated by `bullpen metrics`. Prints wall time, CPU time and peak
# memory for each run. Usage: bench/deals.sh [ROWS] [RUNS] [SNAPSHOT_DEALS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
runs="${2:-3}"
snapshots="${3:-200000}"
site="${TMPDIR:-/tmp}/bullpen-bench-deals-$rows-$snapshots"
if [ ! -f "$site/content/deals/salesforce-export.csv" ]; then
  python3 bench/generate.py "$site" --reps 2000 --quarters 8 --playbooks 10 --deals "$rows" --snapshots "$snapshots"
fi
cargo build --release --quiet
echo "export: $(du -h "$site/content/deals/salesforce-export.csv" | cut -f1), $rows rows, 2,000 reps, 8 quarters; snapshots of $snapshots open deals: $(du -sh "$site/content/deals/snapshots" | cut -f1)"
for run in $(seq "$runs"); do
  /usr/bin/time -f "run $run: %e s wall, %U s user + %S s system CPU, %M KB peak" \
    ./target/release/bullpen metrics --root "$site" > /dev/null
done
