#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the test fixtures and the demo.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/content corpus/markdown corpus/chart_spec
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
done < <(find ../tests/fixtures ../content -type f \( -name '*.yaml' -o -name '*.md' \) -print0 | sort -z)
# Chart specs: every chart block in the fixtures and the demo.
python3 - <<'PY'
import pathlib, re
n = 0
for path in sorted(pathlib.Path("..").glob("**/*.md")):
    if "target" in path.parts or "fuzz" in path.parts:
        continue
    for block in re.findall(r"```chart\n(.*?)```", path.read_text(encoding="utf-8"), re.S):
        n += 1
        pathlib.Path(f"corpus/chart_spec/seed-{n}").write_text(block, encoding="utf-8")
PY
echo "seeded: $(ls corpus/content | wc -l) content, $(ls corpus/markdown | wc -l) markdown, $(ls corpus/chart_spec | wc -l) chart specs"
