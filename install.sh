#!/bin/sh
# Installs a prebuilt `bullpen` from the project's releases, after checking
# its SHA-256 checksum.
#
#   curl -fsSL https://github.com/bullpen-sales/bullpen/releases/latest/download/install.sh | sh
#
# Settings, all optional, as environment variables:
#   BULLPEN_VERSION      the release to install, like 0.1.0 (default: the latest)
#   BULLPEN_SHA256       the archive's expected SHA-256; pin it in CI. Without
#                        it the checksum published with the release is used.
#   BULLPEN_INSTALL_DIR  where to put the binary (default: ~/.local/bin)
#   BULLPEN_REPO         owner/name of the repository to download from
set -eu

repo="${BULLPEN_REPO:-bullpen-sales/bullpen}"
version="${BULLPEN_VERSION:-latest}"
dir="${BULLPEN_INSTALL_DIR:-$HOME/.local/bin}"

fail() {
    echo "install.sh: $*" >&2
    exit 1
}

case "$(uname -s)/$(uname -m)" in
    Linux/x86_64 | Linux/amd64) target=x86_64-unknown-linux-musl ;;
    Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-musl ;;
    Darwin/x86_64) target=x86_64-apple-darwin ;;
    Darwin/arm64) target=aarch64-apple-darwin ;;
    *) fail "no prebuilt binary for $(uname -s) $(uname -m); use \`cargo install --locked bullpen\`" ;;
esac

if command -v curl >/dev/null 2>&1; then
    fetch() { curl --proto '=https' --tlsv1.2 -fsSL "$1" -o "$2"; }
elif command -v wget >/dev/null 2>&1; then
    fetch() { wget -q -O "$2" "$1"; }
else
    fail "needs curl or wget"
fi
if command -v sha256sum >/dev/null 2>&1; then
    sha256() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
    sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }
else
    fail "needs sha256sum or shasum to check the download"
fi

if [ "$version" = latest ]; then
    # The latest release's address redirects to its tag: .../tag/v0.1.0.
    command -v curl >/dev/null 2>&1 || fail "finding the latest release needs curl; set BULLPEN_VERSION"
    url=$(curl -fsSLI -o /dev/null -w '%{url_effective}' "https://github.com/$repo/releases/latest") \
        || fail "could not find the latest release of $repo"
    version="${url##*/v}"
fi
version="${version#v}"

name="bullpen-v$version-$target"
base="https://github.com/$repo/releases/download/v$version"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "downloading $name.tar.gz" >&2
fetch "$base/$name.tar.gz" "$tmp/$name.tar.gz" || fail "could not download $base/$name.tar.gz"
if [ -n "${BULLPEN_SHA256:-}" ]; then
    expected="$BULLPEN_SHA256"
else
    fetch "$base/$name.tar.gz.sha256" "$tmp/sum" || fail "could not download the checksum"
    expected=$(cut -d' ' -f1 "$tmp/sum")
fi
actual=$(sha256 "$tmp/$name.tar.gz")
[ "$actual" = "$expected" ] || fail "checksum mismatch for $name.tar.gz: expected $expected, got $actual"

tar -xzf "$tmp/$name.tar.gz" -C "$tmp"
mkdir -p "$dir"
cp "$tmp/$name/bullpen" "$dir/bullpen"
chmod +x "$dir/bullpen"
echo "installed $("$dir/bullpen" --version) into $dir" >&2
case ":$PATH:" in
    *":$dir:"*) ;;
    *) echo "add $dir to your PATH to run it as \`bullpen\`" >&2 ;;
esac
