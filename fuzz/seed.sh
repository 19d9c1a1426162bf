#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the test fixtures, the demo and the
# saved regression inputs (tests/fixtures/fuzz-regressions/<target>/).
set -euo pipefail
cd "$(dirname "$0")"
targets=(content markdown chart_spec deals site_yaml)
for target in "${targets[@]}"; do mkdir -p "corpus/$target"; done
n=0
while IFS= read -r -d '' file; do
  n=$((n + 1))
  # The first byte picks where the content target places the file.
  case "$file" in
    */site.yaml) selector='\x00' ;;
    */people/*.md) selector='\x02' ;;
    */people/*) selector='\x01' ;;
    */performance/*/*) selector='\x04' ;;
    */performance/*) selector='\x03' ;;
    */_index.md) selector='\x06' ;;
    */playbooks/*) selector='\x05' ;;
    */coaching/*) selector='\x07' ;;
    *) selector='\x08' ;;
  esac
  { printf "$selector"; cat "$file"; } > "corpus/content/seed-$n"
  case "$file" in *.md) cp "$file" "corpus/markdown/seed-$n" ;; esac
  case "$file" in */site.yaml) cp "$file" "corpus/site_yaml/seed-$n" ;; esac
done < <(find ../tests/fixtures ../content -path ../tests/fixtures/fuzz-regressions -prune -o -type f \( -name '*.yaml' -o -name '*.md' \) -print0 | sort -z)
# Chart specs: every chart block in the fixtures and the demo.
python3 - <<'PY'
import pathlib, re
n = 0
for path in sorted(pathlib.Path("..").glob("**/*.md")):
    if "target" in path.parts or "fuzz" in path.parts or "fuzz-target" in path.parts:
        continue
    for block in re.findall(r"```chart\n(.*?)```", path.read_text(encoding="utf-8"), re.S):
        n += 1
        pathlib.Path(f"corpus/chart_spec/seed-{n}").write_text(block, encoding="utf-8")
PY
# Deal exports: the fixtures' CSV files whole, their first rows, and the
# same rows with a byte-order mark and CRLF line ends (as Excel saves them).
n=0
while IFS= read -r -d '' file; do
  n=$((n + 1))
  cp "$file" "corpus/deals/seed-$n"
  head -n 12 "$file" > "corpus/deals/seed-$n-head"
  { printf '\xef\xbb\xbf'; head -n 12 "$file" | sed 's/^\xef\xbb\xbf//; s/$/\r/'; } > "corpus/deals/seed-$n-bom-crlf"
done < <(find ../tests/fixtures -type f -name '*.csv' -print0 | sort -z)
# Site settings: besides the fixtures' site.yaml files, the deals settings
# with each owner match, a day-first date format and monthly periods.
deals_site=../tests/fixtures/deals/content/site.yaml
sed 's/owner_match: name/owner_match: email/' "$deals_site" > corpus/site_yaml/seed-email
sed 's/owner_match: name/owner_match: id/; s|date_format: .*|date_format: "%d.%m.%Y"|' "$deals_site" > corpus/site_yaml/seed-id
sed 's/period: quarter/period: month/; s/strict: true/strict: false/' "$deals_site" > corpus/site_yaml/seed-month
# Inputs that once failed, so every run starts from them.
for target in "${targets[@]}"; do
  if [ -d "../tests/fixtures/fuzz-regressions/$target" ]; then
    cp ../tests/fixtures/fuzz-regressions/"$target"/* "corpus/$target/" 2>/dev/null || true
  fi
done
for target in "${targets[@]}"; do
  echo "seeded $target: $(find "corpus/$target" -type f | wc -l) inputs"
done
