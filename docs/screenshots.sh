#!/bin/sh
# Regenerates the README's screenshots in docs/screenshots/ from the demo:
# the managers' edition is built, photographed by headless Chromium at a
# phone's and a desktop's width, and the rep page's 1:1 handout is printed
# to PDF and turned into images. Needs cargo, chromium and pdftoppm
# (poppler-utils).
#
#   docs/screenshots.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/docs/screenshots"
chromium=${CHROMIUM:-chromium}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

cargo run --quiet --manifest-path "$root/Cargo.toml" -- \
  build --root "$root" --audience managers --out "$work/site" \
  >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

# shoot NAME WIDTH HEIGHT PAGE: the top WIDTH × HEIGHT of PAGE.
shoot() {
  "$chromium" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
    --force-device-scale-factor=1 --window-size="$2,$3" \
    --screenshot="$out/$1.png" "file://$work/site/$4" 2>/dev/null
}
shoot dashboard-desktop 1280 1000 index.html
shoot dashboard-phone 390 844 index.html
shoot rep-desktop 1280 1000 people/sofia-marquez/index.html
shoot playbook-phone 390 844 playbooks/discovery/first-call/index.html

# The handout as it prints, each sheet as an image.
"$chromium" --headless=new --no-sandbox --disable-gpu --no-pdf-header-footer \
  --print-to-pdf="$work/handout.pdf" "file://$work/site/people/sofia-marquez/index.html" 2>/dev/null
pdftoppm -png -r 60 "$work/handout.pdf" "$work/handout"
for page in "$work"/handout-*.png; do
  cp "$page" "$out/rep-handout-$(basename "$page" | sed 's/^handout-0*//')"
done
ls -l "$out"
